// Object URLs, path-style on one bucket, and the last check before a URL leaves the server: the
// signed URL's path is exactly the key that storage-names.ts made, inside the tenant's prefix.
// `new URL()` collapses `a/../b` and `%2e%2e`, so this is checked on the URL as signed, not on the key.
import type { Settings } from '../config/settings.ts';
import { type ObjectKey, type TenantScoped, tenantObjectPrefix } from '../tenancy/storage-names.ts';
import { bucketUrl } from './s3-client.ts';

/** Each key segment percent-encoded, so nothing in a name is read as URL syntax. */
export function objectPath(settings: Settings, key: string): string {
  return `${new URL(bucketUrl(settings)).pathname}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function objectUrl(settings: Settings, key: ObjectKey): URL {
  return new URL(objectPath(settings, key), bucketUrl(settings));
}

/** Throws unless `signed` addresses exactly `key`, on the configured endpoint, inside the tenant prefix. */
export function assertInsideTenant(ctx: TenantScoped, settings: Settings, key: ObjectKey, signed: string): void {
  const url = new URL(signed);
  const tenantPath = objectPath(settings, tenantObjectPrefix(ctx));
  const inside =
    url.origin === new URL(bucketUrl(settings)).origin &&
    url.pathname === objectPath(settings, key) &&
    url.pathname.startsWith(tenantPath) &&
    !/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(url.pathname);
  if (!inside) throw new Error('a signed object URL left the tenant prefix');
}

/** aws4fetch's `datetime` format: 20130524T000000Z. */
export const amzDate = (date: Date) => date.toISOString().replace(/[:-]|\.\d{3}/g, '');
