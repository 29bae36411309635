// The widget API's costs, on the whole local stack (Postgres behind the local Neon endpoint, local
// Pinecone, local S3) in Node:
// - isolationOverheadRatio: median latency of POST /v1/query through the full app (edge chain with a
//   cached key, RLS context in the batch, tenantVectors namespace wrapper, tenant KV cache, audit and
//   retrieval log) against the same retrieval with tenant scoping done by hand (api/by-hand-app.ts),
//   interleaved request by request, 100 tenants × 100 documents. Each query is new, so both paths
//   miss their cache and pay embed + vector query + one database batch.
// - isolationDatabaseBatchMedianMs: that database batch alone, split into the context statement and
//   the RLS predicates (api/database-breakdown.ts).
// - isolationDatabaseServerMs: Postgres's planning + execution of those statements, RLS vs by hand,
//   from EXPLAIN ANALYZE (api/database-server-time.ts).
// - ingestion of a 1 MB markdown document with the local embedder: chunks/s, and round trips per
//   ingested batch (api/ingestion-figures.ts).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate } from '../scripts/db/migrations.ts';
import { createApp } from '../src/app.ts';
import { readSettings } from '../src/config/settings.ts';
import { createTenantRegistry } from '../src/tenancy/registry.ts';
import { inMemoryKeyStore } from '../test/worker/helpers/in-memory-key-store.ts';
import { byHandApp } from './api/by-hand-app.ts';
import { databaseBreakdown } from './api/database-breakdown.ts';
import { databaseServerTime } from './api/database-server-time.ts';
import { ingestionFigures } from './api/ingestion-figures.ts';
import { type BenchTenant, provisioned, seed, TOPICS } from './api/seed-tenants.ts';
import { startChildStack } from './support/child-stack.ts';
import { executionContext, memoryKv, memoryRateLimiter } from './support/memory-bindings.ts';
import { median, round } from './support/stats.ts';

const TENANTS = 100;
const DOCUMENTS = 100;
const REQUESTS = 1_500;
const WARMUP = 150;
const API_HOST = 'api.bulkhead.localhost';

export async function run(): Promise<Record<string, unknown>> {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-api-'));
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

    const time = async (app: { request: typeof full.request }, tenant: BenchTenant, query: string) => {
      const body = JSON.stringify({ query, topK: 5, projectId: tenant.project });
      const headers = { 'x-api-key': tenant.key, 'content-type': 'application/json' };
      const started = performance.now();
      const res = await app.request(`https://${API_HOST}/v1/query`, { method: 'POST', body, headers }, env, ctx);
      const elapsed = performance.now() - started;
      const answer = (await res.json()) as { results?: unknown[] };
      if (res.status !== 200 || !answer.results?.length) throw new Error(`bench query answered ${res.status}`);
      return elapsed;
    };
    const ctx = executionContext();
    const fullTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const tenant = tenants[i % TENANTS] as BenchTenant;
      const query = `${TOPICS[i % TOPICS.length]} question ${i}`;
      // Alternating which goes first, so neither always runs on a warmer connection.
      const first = i % 2 === 0 ? full : bare;
      const second = first === full ? bare : full;
      const a = await time(first, tenant, query);
      const b = await time(second, tenant, query);
      if (i < WARMUP) continue;
      fullTimes.push(first === full ? a : b);
      bareTimes.push(first === full ? b : a);
    }
    const breakdown = await databaseBreakdown(settings, stack.adminUrl, tenants);
    const serverTime = await databaseServerTime(settings, stack.adminUrl, tenants);
    const ingestion = await ingestionFigures(settings, env, tenants[0] as BenchTenant, stack.neonRequests);
    return {
      isolationOverheadRatio: round(median(fullTimes) / median(bareTimes)),
      isolationQueryMedianMs: { isolated: round(median(fullTimes)), byHand: round(median(bareTimes)) },
      isolationBench: {
        tenants: TENANTS,
        documentsPerTenant: DOCUMENTS,
        requests: REQUESTS,
        cache: 'miss (new query each time)',
        // One database round trip on both paths; the isolated batch has one more statement.
        statementsPerBatch: { isolated: 3, byHand: 2 },
      },
      ...breakdown,
      ...serverTime,
      ...ingestion,
    };
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
