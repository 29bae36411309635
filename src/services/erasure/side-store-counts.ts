// Counting what a tenant has left in the three side stores, by listing: the verification never
// trusts a delete call's answer, it asks each store what is still there. Names come from
// storage-names.ts (the namespace, `tenants/{id}/`, `t:{id}:`), each ending in a separator, so
// tenant 1 never counts tenant 10's data.
import type { ListResponse } from '@pinecone-database/pinecone';
import type { Settings } from '../../config/settings.ts';
import { isNotFound, reachPinecone } from '../../stores/pinecone-failures.ts';
import type { PineconeIndex } from '../../stores/pinecone-index.ts';
import { storeUnavailable } from '../../stores/store-unavailable.ts';
import { type TenantObjectsOptions, tenantObjects } from '../../stores/tenant-objects.ts';
import { tenantVectors } from '../../stores/tenant-vectors.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { listedCacheKey, type TenantScoped, tenantCachePrefix, tenantNamespace } from '../../tenancy/storage-names.ts';

/** Every vector id still in the tenant's namespace, listed and counted (a 404 is an empty namespace). */
export function countVectors(ctx: TenantContext, pinecone: PineconeIndex): Promise<number> {
  return tenantVectors(ctx, pinecone).countAll();
}

/** The index's own figure for the namespace: cheap for a census of 100,000 vectors, not proof. */
export async function vectorStatsCount(ctx: TenantScoped, pinecone: PineconeIndex): Promise<number> {
  const stats = await reachPinecone(() => pinecone.describeIndexStats());
  return stats.namespaces?.[tenantNamespace(ctx)]?.recordCount ?? 0;
}

export async function countObjects(
  ctx: TenantContext,
  settings: Settings,
  options?: TenantObjectsOptions,
): Promise<number> {
  const objects = tenantObjects(ctx, settings, options);
  let count = 0;
  let continuationToken: string | undefined;
  do {
    const page = await objects.listObjects({ continuationToken });
    count += page.keys.length;
    continuationToken = page.nextContinuationToken;
  } while (continuationToken);
  return count;
}

export async function countCacheKeys(ctx: TenantScoped, kv: KVNamespace): Promise<number> {
  const prefix = tenantCachePrefix(ctx);
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await reachCache(() => kv.list({ prefix, cursor }));
    count += page.keys.filter((key) => listedCacheKey(ctx, key.name) !== undefined).length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return count;
}

async function reachCache<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeUnavailable('cache', error);
  }
}
