// Cached retrieval results (vector ids and scores, never chunk text) per tenant. Invalidation is a
// per-tenant generation in the key: `t:{tenant}:retrieval:{generation}:{digest}`. Changing any of
// the tenant's documents writes a new random generation, so every older entry is simply never read
// again and expires on its own; no listing, no read-modify-write race between two writers.
// KV propagates writes in about 60 s, so another location may serve pre-change results that long;
// they are ids only, and the chunk text is read from Postgres under RLS, so a deleted document's
// text cannot come back through a stale entry.
import type { TenantContext } from '../tenancy/context.ts';
import { sha256Hex } from '../tenancy/sha256.ts';
import { cacheKey } from '../tenancy/storage-names.ts';
import { assertProjectInScope } from './project-scope.ts';
import { tenantCache } from './tenant-cache.ts';

export const RETRIEVAL_TTL_SECONDS = 300;
/** Far longer than a retrieval entry lives: when it lapses, readers fall back to generation '0'
 * and every entry written under that name has long expired. */
export const GENERATION_TTL_SECONDS = 86_400;
const INITIAL_GENERATION = '0';

export interface RetrievalQuery {
  projectId: string;
  query: string;
  topK: number;
}

export interface CachedMatch {
  id: string;
  score: number;
}

export function retrievalCache(ctx: TenantContext, kv: KVNamespace) {
  const cache = tenantCache(ctx, kv);
  const generationKey = cacheKey(ctx, 'generation', ['documents']);

  return {
    /**
     * The cached matches, or `compute()`'s, stored under the generation read *before* computing:
     * results computed across a document change land under the old generation and are never read.
     */
    async readThrough(query: RetrievalQuery, compute: () => Promise<CachedMatch[]>): Promise<CachedMatch[]> {
      assertProjectInScope(ctx, query.projectId);
      const generation = (await cache.get<string>(generationKey)) ?? INITIAL_GENERATION;
      const key = cacheKey(ctx, 'retrieval', [generation, digestOf(query)]);
      const hit = await cache.get<CachedMatch[]>(key);
      if (hit) return hit;
      const matches = await compute();
      await cache.put(key, matches, RETRIEVAL_TTL_SECONDS);
      return matches;
    },

    /** Call whenever a document of the tenant is added, changed or deleted. */
    async invalidate(): Promise<void> {
      await cache.put(generationKey, crypto.randomUUID(), GENERATION_TTL_SECONDS);
    },
  };
}

function digestOf({ projectId, query, topK }: RetrievalQuery): string {
  return sha256Hex(JSON.stringify([projectId, topK, query]));
}
