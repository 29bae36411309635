// In-memory stand-ins for the Worker bindings a benchmark in Node has no Miniflare for: the app's
// KV calls against a Map, and the per-tenant rate-limit Durable Object as the same token bucket
// in process (so figures exclude the one Durable Object RPC production adds per request).
import { type BucketLimits, type BucketState, takeToken } from '../../src/tenancy/token-bucket.ts';

export function memoryKv() {
  const map = new Map<string, string>();
  return {
    get: async (key: string) => map.get(key) ?? null,
    put: async (key: string, value: string) => void map.set(key, value),
    delete: async (key: string) => void map.delete(key),
    list: async () => ({ keys: [], list_complete: true }),
  };
}

export function memoryRateLimiter() {
  const buckets = new Map<string, BucketState>();
  return {
    getByName: (name: string) => ({
      take: async (limits: BucketLimits) => {
        const { state, verdict } = takeToken(buckets.get(name), limits, performance.now());
        buckets.set(name, state);
        return verdict;
      },
    }),
  };
}

/** What a Worker request always has; without it Hono throws on every `c.executionCtx` read. */
export function executionContext() {
  return {
    waitUntil: (promise: Promise<unknown>) => void promise.catch(() => {}),
    passThroughOnException: () => {},
    props: {},
  };
}
