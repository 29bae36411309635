// A tenant's objects in R2 (or any S3 API): presigned URLs for the browser, and server-side get,
// delete and list for ingestion and erasure. Every key is one storage-names.ts made under
// `tenants/{tenantId}/`, checked again at run time and once more on the signed URL itself.
import type { AwsClient } from 'aws4fetch';
import { boundedFetch } from '../config/bounded-fetch.ts';
import type { Settings } from '../config/settings.ts';
import { TIMEOUTS } from '../config/timeouts.ts';
import type { TenantContext } from '../tenancy/context.ts';
import { listedObjectKey, type ObjectKey, type ObjectPrefix, tenantObjectPrefix } from '../tenancy/storage-names.ts';
import { type FoundDocument, presignDownload, presignUpload, type UploadRequest } from './object-presigning.ts';
import { assertInsideTenant, objectUrl } from './object-urls.ts';
import { bucketUrl, s3Client } from './s3-client.ts';
import { type ListPage, parseListObjectsV2 } from './s3-list-result.ts';
import { storeUnavailable } from './store-unavailable.ts';

export interface TenantObjectsOptions {
  client?: AwsClient;
  /** Tests fail or count requests with it; it is bounded by the timeout like the default fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Each call's limit, body included (TIMEOUTS.objectStoreMs); tests shorten it. */
  timeoutMs?: number;
  /** Signing time; tests sign in the past to prove expiry. */
  now?: () => Date;
}

export interface ListedTenantObject {
  key: ObjectKey;
  /** When the object was last written, as the store reports it. */
  lastModified?: Date;
}

export interface ObjectListing {
  keys: ObjectKey[];
  /** The same objects as `keys`, with their write times. */
  objects: ListedTenantObject[];
  nextContinuationToken?: string;
}

export function tenantObjects(ctx: TenantContext, settings: Settings, options: TenantObjectsOptions = {}) {
  const tenantPrefix = tenantObjectPrefix(ctx); // throws without a valid context
  const client = options.client ?? s3Client(settings);
  const custom = options.fetch;
  // A timeout or a cut-off answer is the object store being down: 503, never another key.
  const send = boundedFetch(
    options.timeoutMs ?? TIMEOUTS.objectStoreMs,
    custom && ((input, init) => custom(new Request(input as Request, init))),
  );
  const deps = { ctx, settings, client, now: options.now ?? (() => new Date()) };

  const own = (key: ObjectKey): ObjectKey => {
    const checked = listedObjectKey(ctx, key);
    if (!checked) throw new Error('object key outside the tenant prefix');
    return checked;
  };

  async function call(method: 'GET' | 'HEAD' | 'DELETE', url: URL, key?: ObjectKey): Promise<Response> {
    const request = await client.sign(url.toString(), { method });
    if (key) assertInsideTenant(ctx, settings, key, request.url);
    let response: Response;
    try {
      response = await send(request);
    } catch (error) {
      throw storeUnavailable('object store', error);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw storeUnavailable('object store', new Error(`${method} answered ${response.status}`));
    }
    return response;
  }

  async function listObjects(page: { prefix?: ObjectPrefix; continuationToken?: string; maxKeys?: number } = {}) {
    const prefix = page.prefix ?? tenantPrefix;
    if (!prefix.startsWith(tenantPrefix)) throw new Error('object prefix outside the tenant prefix');
    const url = new URL(bucketUrl(settings));
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', prefix);
    if (page.continuationToken) url.searchParams.set('continuation-token', page.continuationToken);
    if (page.maxKeys) url.searchParams.set('max-keys', String(page.maxKeys));
    const response = await call('GET', url);
    if (!response.ok) throw await refused('list', response);
    const listed: ListPage = parseListObjectsV2(await response.text());
    const objects = listed.objects.flatMap(({ key, lastModified }): ListedTenantObject[] => {
      const checked = listedObjectKey(ctx, key);
      if (!checked) console.warn(JSON.stringify({ level: 'warn', event: 'objects.foreign_key_skipped', prefix }));
      if (!checked) return [];
      return lastModified ? [{ key: checked, lastModified }] : [{ key: checked }];
    });
    const keys = objects.map((object) => object.key);
    return { keys, objects, nextContinuationToken: listed.nextContinuationToken } satisfies ObjectListing;
  }

  async function deleteObject(key: ObjectKey): Promise<void> {
    const response = await call('DELETE', objectUrl(settings, own(key)), key);
    await response.body?.cancel();
    if (!response.ok && response.status !== 404) throw await refused('delete', response);
  }

  return {
    presignUpload: (document: FoundDocument, request: UploadRequest) => presignUpload(deps, document, request),
    presignDownload: (document: FoundDocument, expiresInSeconds?: number) =>
      presignDownload(deps, document, expiresInSeconds),
    listObjects,
    deleteObject,

    /** The object, or undefined when there is none. The caller reads or cancels the body. */
    async getObject(key: ObjectKey): Promise<Response | undefined> {
      const response = await call('GET', objectUrl(settings, own(key)), key);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await refused('get', response);
      return response;
    },

    /** Whether the object is there, by a signed HEAD: nothing is downloaded. */
    async hasObject(key: ObjectKey): Promise<boolean> {
      const response = await call('HEAD', objectUrl(settings, own(key)), key); // a HEAD answer has no body
      if (response.status === 404) return false;
      if (!response.ok) throw await refused('head', response);
      return true;
    },

    /** Erasure: every object under `prefix` (default: the whole tenant), page by page; returns the count. */
    async deleteAllObjects(prefix: ObjectPrefix = tenantPrefix): Promise<number> {
      let deleted = 0;
      let continuationToken: string | undefined;
      do {
        const page = await listObjects({ prefix, continuationToken });
        for (const key of page.keys) await deleteObject(key);
        deleted += page.keys.length;
        continuationToken = page.nextContinuationToken;
      } while (continuationToken);
      return deleted;
    },
  };
}

export type TenantObjects = ReturnType<typeof tenantObjects>;

/** A 4xx other than 404 is a bug or a misconfiguration (credentials, bucket): a 500, with the S3 code logged. */
async function refused(operation: string, response: Response): Promise<Error> {
  const code = /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1] ?? 'unknown';
  return new Error(`object store refused ${operation}: ${response.status} ${code}`);
}
