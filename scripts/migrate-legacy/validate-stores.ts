// Validation, side stores: per tenant, the vectors in its own namespace that belong to its
// migrated documents against what the source says it should have, and any vector of a document it
// should not have; the objects under its prefix, each compared by SHA-256 with its legacy object.
import { createHash } from 'node:crypto';
import type { Index } from '@pinecone-database/pinecone';
import { parseListObjectsV2 } from '../../src/stores/s3-list-result.ts';
import { toTenantId } from '../../src/tenancy/context.ts';
import { parseVectorId, tenantNamespace, tenantObjectPrefix } from '../../src/tenancy/storage-names.ts';
import { type Bucket, objectUrl } from './connections.ts';
import type { TargetTenant } from './owner-mapping.ts';

const LISTED = 10;

export interface VectorValidation {
  expected: number;
  actual: number;
  /** Ids in the namespace whose document is not one of this tenant's: another owner's, or unknown. */
  foreign: string[];
}

/** `documentIds`: the tenant's migrated documents; `strict`: the kit made the tenant, so nothing else belongs there. */
export async function validateVectors(
  index: Index,
  tenant: TargetTenant,
  documentIds: Set<string>,
  expected: number,
): Promise<VectorValidation> {
  const scoped = index.namespace(tenantNamespace({ tenantId: toTenantId(tenant.id) }));
  let actual = 0;
  const foreign: string[] = [];
  let paginationToken: string | undefined;
  do {
    const page = await scoped.listPaginated({ limit: 100, paginationToken }).catch((error: { name?: string }) => {
      if (error?.name === 'PineconeNotFoundError') return { vectors: [], pagination: undefined };
      throw error;
    });
    for (const { id } of page.vectors ?? []) {
      const parsed = id ? parseVectorId(id) : undefined;
      if (parsed && documentIds.has(parsed.documentId)) actual++;
      else if (tenant.provisioned && foreign.length < LISTED) foreign.push(id ?? '');
    }
    paginationToken = page.pagination?.next;
  } while (paginationToken);
  return { expected, actual, foreign };
}

export interface ObjectValidation {
  expected: number;
  actual: number;
  checksumMismatches: string[];
  missing: string[];
}

/** `pairs`: legacy key → target key of each object the tenant should hold. */
export async function validateObjects(
  legacy: Bucket,
  target: Bucket,
  tenant: TargetTenant,
  pairs: Array<[string, string]>,
  documentIds: Set<string>,
): Promise<ObjectValidation> {
  const listed = new Set<string>();
  const prefix = tenantObjectPrefix({ tenantId: toTenantId(tenant.id) });
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ 'list-type': '2', prefix, 'max-keys': '1000' });
    if (token) query.set('continuation-token', token);
    const response = await target.client.fetch(`${target.url}?${query}`);
    if (!response.ok) throw new Error(`listing ${prefix}: ${response.status}`);
    const page = parseListObjectsV2(await response.text());
    for (const key of page.keys) {
      const documentId = /\/documents\/([0-9a-f-]{36})\//.exec(key)?.[1];
      if (documentId && documentIds.has(documentId)) listed.add(key);
    }
    token = page.nextContinuationToken;
  } while (token);
  const result: ObjectValidation = { expected: pairs.length, actual: listed.size, checksumMismatches: [], missing: [] };
  for (const [legacyKey, targetKey] of pairs) {
    if (!listed.has(targetKey)) {
      result.missing.push(legacyKey);
      continue;
    }
    const [a, b] = await Promise.all([sha256Of(legacy, legacyKey), sha256Of(target, targetKey)]);
    if (a !== b) result.checksumMismatches.push(legacyKey);
  }
  return result;
}

async function sha256Of(bucket: Bucket, key: string): Promise<string> {
  const response = await bucket.client.fetch(objectUrl(bucket, key));
  if (!response.ok) throw new Error(`GET ${key}: ${response.status}`);
  return createHash('sha256')
    .update(new Uint8Array(await response.arrayBuffer()))
    .digest('hex');
}
