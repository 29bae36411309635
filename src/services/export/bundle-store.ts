// Where an export bundle lives and how it leaves: under the tenant's own object prefix,
// `exports/{jobId}/`, written with signed PUTs and handed out as presigned GETs that expire in
// 15 minutes. Every key passes storage-names.ts's check of a key under the tenant's prefix.
import type { Settings } from '../../config/settings.ts';
import { objectUrl } from '../../stores/object-urls.ts';
import { s3Client } from '../../stores/s3-client.ts';
import { storeUnavailable } from '../../stores/store-unavailable.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { listedObjectKey, type ObjectKey, tenantObjectPrefix } from '../../tenancy/storage-names.ts';

export const DOWNLOAD_EXPIRY_SECONDS = 900;
const FILE_NAME = /^[a-z_]+(-\d{1,6})?\.(jsonl|json)$/;

/** The folder of all export bundles, relative to the tenant prefix: left out of the object manifest. */
export const EXPORTS_FOLDER = 'exports/';

export function bundleKey(ctx: TenantContext, jobId: string, file: string): ObjectKey {
  if (!/^[0-9a-f-]{36}$/.test(jobId) || !FILE_NAME.test(file)) throw new Error('not a bundle file name');
  const key = listedObjectKey(ctx, `${tenantObjectPrefix(ctx)}${EXPORTS_FOLDER}${jobId}/${file}`);
  if (!key) throw new Error('bundle key outside the tenant prefix');
  return key;
}

export async function putBundleFile(settings: Settings, key: ObjectKey, body: string): Promise<void> {
  let response: Response;
  try {
    response = await s3Client(settings).fetch(objectUrl(settings, key).toString(), {
      method: 'PUT',
      body,
      headers: { 'content-type': key.endsWith('.json') ? 'application/json' : 'application/x-ndjson' },
    });
  } catch (error) {
    throw storeUnavailable('object store', error);
  }
  await response.body?.cancel();
  if (response.status >= 500) throw storeUnavailable('object store', new Error(`PUT answered ${response.status}`));
  if (!response.ok) throw new Error(`object store refused the bundle PUT: ${response.status}`);
}

export async function presignBundleFile(settings: Settings, key: ObjectKey): Promise<string> {
  const url = objectUrl(settings, key);
  url.searchParams.set('X-Amz-Expires', String(DOWNLOAD_EXPIRY_SECONDS));
  const signed = await s3Client(settings).sign(url.toString(), { method: 'GET', aws: { signQuery: true } });
  return signed.url;
}

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
