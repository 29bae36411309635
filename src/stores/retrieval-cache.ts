// Cached retrieval results (vector ids and scores, never chunk text) per tenant. Invalidation is a
// per-tenant generation in the key: `t:{tenant}:retrieval:{generation}:{digest}`. Changing any of
// the tenant's documents writes a new random generation, so every older entry is simply never read
// again and expires on its own; no listing, no read-modify-write race between two writers.
// KV propagates writes in about 60 s, so another location may serve pre-change results that long;
// they are ids only, and the chunk text is read from Postgres under RLS, so a deleted document's
// text cannot come back through a stale entry.
// Invalidation never fails the change it follows: KV takes one write per second per key, so the
// generation write can be refused right after a document committed. That is logged and retried
// once, a second later, after the response; if that fails too, the entries written before the
// change are simply read until they expire: staleness is bounded by RETRIEVAL_TTL_SECONDS (plus
// KV's propagation), never by the generation's own TTL.
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
/** KV's write limit is one per second per key: a retry sooner would meet the same refusal. */
export const GENERATION_RETRY_MS = 1_100;

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

    /**
     * Call whenever a document of the tenant is added, changed or deleted. Never throws: true when
     * the new generation was written; on a refusal, false, and one retry is handed to `background`
     * (the Worker's waitUntil) when there is one.
     */
    async invalidate(options: { background?: (work: Promise<unknown>) => void } = {}): Promise<boolean> {
      const attempt = async (retry: boolean) => {
        try {
          await cache.put(generationKey, crypto.randomUUID(), GENERATION_TTL_SECONDS);
          return true;
        } catch (error) {
          console.error(
            JSON.stringify({
              level: 'error',
              event: 'cache.invalidation_failed',
              tenantId: ctx.tenantId,
              retry,
              staleForAtMostSeconds: RETRIEVAL_TTL_SECONDS,
              error: String(error),
            }),
          );
          return false;
        }
      };
      if (await attempt(false)) return true;
      options.background?.(
        new Promise((resolve) => setTimeout(resolve, GENERATION_RETRY_MS)).then(() => attempt(true)),
      );
      return false;
    },
  };
}

function digestOf({ projectId, query, topK }: RetrievalQuery): string {
  return sha256Hex(JSON.stringify([projectId, topK, query]));
}
