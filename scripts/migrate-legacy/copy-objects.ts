// Apply, objects: each legacy object that matches its row goes to the key Bulkhead builds for that
// document (tenants/{tenant}/projects/{project}/documents/{id}/{name}) and the key is recorded on
// the document. Server-side CopyObject when both buckets are on one endpoint and it supports it;
// otherwise the bytes pass through this process (the report says which). An object already at its
// target with the same ETag is left alone, so a re-run copies nothing twice.
import type pg from 'pg';
import { type Bucket, objectUrl, type SourceDb } from './connections.ts';
import type { CopyHooks } from './copy-rows.ts';
import { keyPattern, legacyObjectPages, type ObjectPlacement, placeObjects } from './legacy-objects.ts';
import type { OwnerResolver } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { inTenantTransaction } from './tenant-transaction.ts';

export type ObjectCopyMethod = 'server-side' | 'download-upload';

export interface ObjectCopyResult {
  copied: number;
  alreadyThere: number;
  methods: Partial<Record<ObjectCopyMethod, number>>;
}

type Placed = Extract<ObjectPlacement, { placed: true }>;

export async function copyObjects(
  plan: Plan,
  io: { db: SourceDb; target: pg.Client; legacyBucket: Bucket; bucket: Bucket },
  resolve: OwnerResolver,
  hooks: CopyHooks = {},
): Promise<ObjectCopyResult> {
  const source = plan.source.objects;
  const result: ObjectCopyResult = { copied: 0, alreadyThere: 0, methods: {} };
  if (!source) return result;
  const seen = new Set<string>();
  let serverSide = io.legacyBucket.endpoint === io.bucket.endpoint;
  let page = 0;
  for await (const keys of legacyObjectPages(io.legacyBucket, keyPattern(source.pattern).prefix)) {
    for (const placement of await placeObjects(io.db, plan, resolve, keys)) {
      if (!placement.placed || seen.has(placement.documentId)) continue;
      seen.add(placement.documentId);
      const head = await headOf(io.legacyBucket, placement.key);
      if (!head) throw new Error(`legacy object ${placement.key} was listed but is gone`);
      const existing = await headOf(io.bucket, placement.targetKey);
      if (existing && existing.etag === head.etag) {
        result.alreadyThere++;
      } else {
        let method: ObjectCopyMethod = 'download-upload';
        if (serverSide && (await serverSideCopy(io, placement))) method = 'server-side';
        else {
          serverSide = false; // refused once: this endpoint does not do it, stop asking
          await downloadUpload(io, placement, head.contentType);
        }
        result.copied++;
        result.methods[method] = (result.methods[method] ?? 0) + 1;
      }
      await recordObjectKey(io.target, placement, head);
    }
    await hooks.afterBatch?.(++page);
  }
  return result;
}

interface Head {
  etag: string;
  size: number;
  contentType: string;
}

async function headOf(bucket: Bucket, key: string): Promise<Head | undefined> {
  const response = await bucket.client.fetch(objectUrl(bucket, key), { method: 'HEAD' });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HEAD ${key}: ${response.status}`);
  return {
    etag: response.headers.get('etag') ?? '',
    size: Number(response.headers.get('content-length') ?? 0),
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
  };
}

async function serverSideCopy(io: { legacyBucket: Bucket; bucket: Bucket }, placement: Placed): Promise<boolean> {
  const copySource = `/${io.legacyBucket.name}/${placement.key.split('/').map(encodeURIComponent).join('/')}`;
  const response = await io.bucket.client.fetch(objectUrl(io.bucket, placement.targetKey), {
    method: 'PUT',
    headers: { 'x-amz-copy-source': copySource },
  });
  const body = await response.text();
  if (response.ok && !body.includes('<Error>')) return true;
  if (response.status === 501 || /NotImplemented/.test(body)) return false;
  throw new Error(`CopyObject ${placement.key}: ${response.status} ${body}`);
}

async function downloadUpload(io: { legacyBucket: Bucket; bucket: Bucket }, placement: Placed, contentType: string) {
  const got = await io.legacyBucket.client.fetch(objectUrl(io.legacyBucket, placement.key));
  if (!got.ok) throw new Error(`GET ${placement.key}: ${got.status}`);
  // Buffered: aws4fetch signs the payload hash, and objects of a RAG app's documents are small.
  const body = new Uint8Array(await got.arrayBuffer());
  const put = await io.bucket.client.fetch(objectUrl(io.bucket, placement.targetKey), {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body,
  });
  if (!put.ok) throw new Error(`PUT ${placement.targetKey}: ${put.status} ${await put.text()}`);
}

async function recordObjectKey(target: pg.Client, placement: Placed, head: Head) {
  await inTenantTransaction(target, placement.tenant.id, (tx) =>
    tx.query(
      `update documents set object_key = $2, content_type = $3, size_bytes = $4
        where id = $1 and object_key is distinct from $2`,
      [placement.documentId, placement.targetKey, head.contentType, head.size],
    ),
  );
}
