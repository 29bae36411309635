// The S3 operations the app uses, path-style on one bucket, for a caller whose signature
// has already been verified. Anything else is refused rather than half-done.
import type { ObjectStore } from './object-store.ts';
import { listObjectsV2Xml, S3Error } from './xml.ts';

export interface S3Call {
  method: string;
  /** Decoded request path: `/{bucket}` or `/{bucket}/{key}`. */
  path: string;
  query: URLSearchParams;
  headers: Map<string, string>;
  body: Uint8Array;
  /** The caller's scope: keys (and list prefixes) must start with it. */
  allowedPrefix?: string;
}

export interface S3Reply {
  status: number;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

const RESPONSE_OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
];
const LIST_PARAMS = [
  'list-type',
  'prefix',
  'continuation-token',
  'max-keys',
  'start-after',
  'encoding-type',
  'fetch-owner',
];
const MAX_KEYS = 1000;

export async function performS3Call(store: ObjectStore, bucket: string, call: S3Call): Promise<S3Reply> {
  const slash = call.path.indexOf('/', 1);
  const requestedBucket = call.path.slice(1, slash < 0 ? undefined : slash);
  const key = slash < 0 ? '' : call.path.slice(slash + 1);
  if (requestedBucket !== bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
  if (key === '') return bucketCall(store, bucket, call);

  refuseUnknownParams(call.query, call.method === 'GET' || call.method === 'HEAD' ? RESPONSE_OVERRIDES : []);
  authorize(key, call.allowedPrefix);
  if (call.method === 'PUT') {
    if (call.headers.has('x-amz-copy-source')) throw notImplemented('CopyObject');
    const info = await store.put(key, call.body, call.headers.get('content-type') ?? 'binary/octet-stream');
    return { status: 200, headers: { etag: `"${info.etag}"` } };
  }
  if (call.method === 'GET' || call.method === 'HEAD') {
    const found = await store.get(key);
    if (!found) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const headers: Record<string, string> = {
      'content-type': found.info.contentType,
      'content-length': String(found.info.size),
      etag: `"${found.info.etag}"`,
      'last-modified': found.info.lastModified.toUTCString(),
    };
    // Presigned downloads name the file this way: S3 lets a signed request override these headers.
    for (const name of RESPONSE_OVERRIDES) {
      const value = call.query.get(name);
      if (value !== null) headers[name.slice('response-'.length)] = value;
    }
    return { status: 200, headers, body: call.method === 'GET' ? found.body : undefined };
  }
  if (call.method === 'DELETE') {
    await store.delete(key);
    return { status: 204, headers: {} };
  }
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

async function bucketCall(store: ObjectStore, bucket: string, call: S3Call): Promise<S3Reply> {
  if (call.method === 'HEAD') return { status: 200, headers: {} };
  if (call.method !== 'GET')
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  if (call.query.get('list-type') !== '2') throw notImplemented('Any bucket GET but ListObjectsV2 (list-type=2)');
  if (call.query.has('delimiter')) throw notImplemented('ListObjectsV2 with a delimiter');
  refuseUnknownParams(call.query, LIST_PARAMS);

  const prefix = call.query.get('prefix') ?? '';
  authorize(prefix, call.allowedPrefix);
  const maxKeys = parseMaxKeys(call.query.get('max-keys'));
  const encodingType = call.query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url')
    throw invalid('Invalid Encoding Method specified in Request');
  const continuationToken = call.query.get('continuation-token') ?? undefined;
  const startAfter = call.query.get('start-after') ?? undefined;
  const after = continuationToken !== undefined ? keyOfToken(continuationToken) : startAfter;

  const matching = (await store.list()).filter(
    (object) =>
      object.key.startsWith(prefix) &&
      (after === undefined || Buffer.compare(Buffer.from(object.key), Buffer.from(after)) > 0),
  );
  const objects = matching.slice(0, maxKeys);
  const isTruncated = matching.length > objects.length;
  const last = objects.at(-1);
  const body = listObjectsV2Xml({
    bucket,
    prefix,
    maxKeys,
    objects,
    isTruncated,
    continuationToken,
    startAfter,
    encodingType,
    nextContinuationToken: isTruncated && last ? Buffer.from(last.key).toString('base64url') : undefined,
  });
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

/** Mirrors a bucket-scoped token: outside its prefix the caller is simply not allowed. */
function authorize(keyOrPrefix: string, allowedPrefix: string | undefined): void {
  if (allowedPrefix !== undefined && !keyOrPrefix.startsWith(allowedPrefix))
    throw new S3Error(403, 'AccessDenied', 'Access Denied');
}

/** A sub-resource (?acl, ?tagging, ?uploadId…) would change what a PUT or GET means: refuse it rather than ignore it. */
function refuseUnknownParams(query: URLSearchParams, allowed: string[]): void {
  for (const name of query.keys()) {
    if (!allowed.includes(name) && !name.startsWith('X-Amz-') && name !== 'x-id')
      throw notImplemented(`The query parameter '${name}'`);
  }
}

function parseMaxKeys(value: string | null): number {
  if (value === null) return MAX_KEYS;
  if (!/^\d{1,9}$/.test(value)) throw invalid('Provided max-keys not an integer or within integer range');
  return Math.min(Number(value), MAX_KEYS);
}

function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(key).toString('base64url') !== token)
    throw invalid('The continuation token provided is incorrect');
  return key;
}

const invalid = (message: string) => new S3Error(400, 'InvalidArgument', message);
const notImplemented = (what: string) =>
  new S3Error(501, 'NotImplemented', `${what} is not implemented by the local S3.`);
