// Cached retrieval results (vector ids and scores, never chunk text) per tenant. The key names the
// generation, the model and the question: `t:{tenant}:retrieval:{generation}:{model}:{query}`,
// `model` a digest of the embedder's id and the vectors' dimension (switching EMBEDDER, its model
// or the index's dimension never serves matches another model computed), `query` a digest of the
// project, topK and text. An entry is written only once the caller has shown the project is
// visible (`remember()` after the retrieval's own batch), so a tenant-wide key naming random
// project ids cannot make the cache write entries for them. Invalidation is a per-tenant
// generation in the key. Changing any of
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

/** What produced the query's vector: the Embedder's `id` and `dimension`. */
export interface EmbeddingModel {
  readonly id: string;
  readonly dimension: number;
}

export interface RetrievalQuery {
  projectId: string;
  query: string;
  topK: number;
  embedder: EmbeddingModel;
}

export interface CachedMatch {
  id: string;
  score: number;
}

export interface CacheRead {
  matches: CachedMatch[];
  fromCache: boolean;
  /**
   * Stores computed matches; a no-op for a hit. Call it only once the project is known to be
   * visible to the caller. Never throws: a refused write costs the next caller a lookup, no more.
   */
  remember(): Promise<void>;
}

export function retrievalCache(ctx: TenantContext, kv: KVNamespace) {
  const cache = tenantCache(ctx, kv);
  const generationKey = cacheKey(ctx, 'generation', ['documents']);

  return {
    /**
     * The cached matches, or `compute()`'s, to be stored by `remember()` under the generation read
     * *before* computing: results computed across a document change land under the old generation
     * and are never read.
     */
    async readThrough(query: RetrievalQuery, compute: () => Promise<CachedMatch[]>): Promise<CacheRead> {
      assertProjectInScope(ctx, query.projectId);
      const generation = (await cache.get<string>(generationKey)) ?? INITIAL_GENERATION;
      const key = cacheKey(ctx, 'retrieval', [generation, modelDigestOf(query.embedder), digestOf(query)]);
      const hit = await cache.get<CachedMatch[]>(key);
      if (hit) return { matches: hit, fromCache: true, remember: async () => {} };
      const matches = await compute();
      const remember = async () => {
        try {
          await cache.put(key, matches, RETRIEVAL_TTL_SECONDS);
        } catch (error) {
          console.error(
            JSON.stringify({
              level: 'error',
              event: 'cache.write_failed',
              tenantId: ctx.tenantId,
              error: String(error),
            }),
          );
        }
      };
      return { matches, fromCache: false, remember };
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

function modelDigestOf({ id, dimension }: EmbeddingModel): string {
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error('an embedding model needs a dimension');
  return sha256Hex(JSON.stringify([id, dimension]));
}
