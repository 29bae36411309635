// concurrentQueryThroughput (issue 17 §4): POST /v1/query at concurrency 1, 8 and 32 across 50
// tenants (20 one-chunk documents each), the full app and the by-hand baseline (api/by-hand-app.ts)
// in the same run, each level run for both paths in turn. Every query is new (cache miss).
// requests/s = completed requests / wall time of the level; p99 of the per-request latencies.
// The app runs in this process (one event loop, as one isolate has), the stack in a child.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate } from '../scripts/db/migrations.ts';
import { createApp } from '../src/app.ts';
import { readSettings } from '../src/config/settings.ts';
import { createTenantRegistry } from '../src/tenancy/registry.ts';
import { inMemoryKeyStore } from '../test/worker/helpers/in-memory-key-store.ts';
import { byHandApp } from './api/by-hand-app.ts';
import { type BenchTenant, provisioned, seed, TOPICS } from './api/seed-tenants.ts';
import { startChildStack } from './support/child-stack.ts';
import { executionContext, memoryKv, memoryRateLimiter } from './support/memory-bindings.ts';
import { median, percentile, round } from './support/stats.ts';

const TENANTS = 50;
const DOCUMENTS = 20;
const LEVELS = [1, 8, 32];
const REQUESTS_PER_LEVEL = 640;
const API_HOST = 'api.bulkhead.localhost';

type App = { request: ReturnType<typeof createApp>['request'] };

export async function run(): Promise<Record<string, unknown>> {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-throughput-'));
  await chmod(stateDir, 0o755); // as root, Postgres runs as another user that must reach its data dir
  const stack = await startChildStack(stateDir);
  try {
    await migrate(stack.adminUrl);
    const env = {
      ...stack.workerVars,
      ENVIRONMENT: 'test',
      API_HOST,
      CACHE: memoryKv(),
      TENANT_RATE_LIMITER: memoryRateLimiter(),
    };
    const settings = readSettings(env);
    const tenants = await seed(stack.adminUrl, settings, { tenants: TENANTS, documents: DOCUMENTS });
    const registry = createTenantRegistry({ tenants: tenants.map(provisioned) });
    const full = createApp({ registry, keyStore: inMemoryKeyStore(registry.apiKeys()) });
    const bare = byHandApp(settings, stack.adminUrl, new Map(tenants.map((t) => [t.key, t])));
    const ctx = executionContext();
    let serial = 0;

    const one = async (app: App, tenant: BenchTenant) => {
      const i = serial++;
      const body = JSON.stringify({
        query: `${TOPICS[i % TOPICS.length]} throughput ${i}`,
        topK: 5,
        projectId: tenant.project,
      });
      const headers = { 'x-api-key': tenant.key, 'content-type': 'application/json' };
      const started = performance.now();
      const res = await app.request(`https://${API_HOST}/v1/query`, { method: 'POST', body, headers }, env, ctx);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`throughput query answered ${res.status}`);
      return performance.now() - started;
    };

    const level = async (app: App, concurrency: number) => {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < REQUESTS_PER_LEVEL) {
            const n = next++;
            latencies.push(await one(app, tenants[n % TENANTS] as BenchTenant));
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return {
        requestsPerSecond: round(REQUESTS_PER_LEVEL / seconds, 1),
        p50Ms: round(median(latencies)),
        p99Ms: round(percentile(latencies, 0.99)),
      };
    };

    for (const app of [full, bare]) await level(app, 4); // warm both: connections, JIT
    const figures: Record<string, unknown> = {};
    for (const concurrency of LEVELS) {
      // Both paths at this level, in turn, twice (ABBA), so drift falls on both alike.
      const a1 = await level(full, concurrency);
      const b1 = await level(bare, concurrency);
      const b2 = await level(bare, concurrency);
      const a2 = await level(full, concurrency);
      const mean = (x: typeof a1, y: typeof a1) => ({
        requestsPerSecond: round((x.requestsPerSecond + y.requestsPerSecond) / 2, 1),
        p50Ms: round((x.p50Ms + y.p50Ms) / 2),
        p99Ms: round((x.p99Ms + y.p99Ms) / 2),
      });
      const isolated = mean(a1, a2);
      const byHand = mean(b1, b2);
      figures[`c${concurrency}`] = {
        isolated,
        byHand,
        throughputRatio: round(byHand.requestsPerSecond / isolated.requestsPerSecond),
        p99Ratio: round(isolated.p99Ms / byHand.p99Ms),
      };
    }
    return {
      concurrentQueryThroughput: figures,
      concurrentQueryBench: {
        tenants: TENANTS,
        documentsPerTenant: DOCUMENTS,
        requestsPerLevel: REQUESTS_PER_LEVEL,
        cache: 'miss (new query each time)',
        ratios: 'throughputRatio = by-hand req/s ÷ isolated req/s; p99Ratio = isolated p99 ÷ by-hand p99',
      },
    };
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
