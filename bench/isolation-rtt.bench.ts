// isolationOverheadRatioAtRtt: the api benchmark's isolation overhead comparison (POST /v1/query
// through the whole app against the same retrieval with tenant scoping done by hand, interleaved
// request by request, cache misses) with a fixed round-trip time injected into the local stand-ins
// that model a deployment: every Neon SQL-over-HTTP request and every Pinecone request is answered
// RTT_MS later (a `latency` fault rule on each stand-in, local/faults.ts). Both paths make one
// database batch and one vector query per request, so both pay the same injected time; what is left
// of the ratio is what isolation costs once the network is in the picture.
// isolationOverheadMs is the absolute difference of the two medians in the same run. Blocks of
// requests without the injected RTT alternate with those with it, and give the same run's baseline.
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
import { median, round } from './support/stats.ts';

/** Injected per Neon and per Pinecone request: an edge location near its database and index. */
const RTT_MS = 2;
const TENANTS = 50;
const DOCUMENTS = 50;
const REQUESTS = 500;
const WARMUP = 50;
const BLOCK = 50;
const API_HOST = 'api.bulkhead.localhost';

/** Requests the stand-in's latency rule has delayed so far: its round trips. */
async function delayedRequests(origin: string): Promise<number> {
  const { rules } = (await (await fetch(`${origin}/__faults`)).json()) as { rules: Array<{ hits: number }> };
  return rules.reduce((sum, rule) => sum + rule.hits, 0);
}

async function setLatency(origin: string, latencyMs: number): Promise<void> {
  const rules = latencyMs > 0 ? [{ fault: 'latency', latencyMs }] : [];
  const res = await fetch(`${origin}/__faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
  if (res.status !== 200) throw new Error(`could not set latency at ${origin}: ${res.status}`);
}

export async function run(): Promise<Record<string, unknown>> {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-rtt-'));
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
    const standIns = [settings.NEON_HTTP_ENDPOINT as string, settings.PINECONE_INDEX_HOST].map(
      (url) => new URL(url).origin,
    );

    const ctx = executionContext();
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
    // Blocks with and without the injected RTT alternate, so load on this shared machine falls on
    // both alike; within a block the two paths alternate request by request, and which goes first.
    const samples = {
      rtt: { full: [] as number[], bare: [] as number[] },
      none: { full: [] as number[], bare: [] as number[] },
    };
    for (let block = 0; block * BLOCK < WARMUP + 2 * REQUESTS; block++) {
      const withRtt = block % 2 === 1;
      for (const origin of standIns) await setLatency(origin, withRtt ? RTT_MS : 0);
      const into = withRtt ? samples.rtt : samples.none;
      for (let j = 0; j < BLOCK; j++) {
        const i = block * BLOCK + j;
        const tenant = tenants[i % TENANTS] as BenchTenant;
        const query = `${TOPICS[i % TOPICS.length]} rtt question ${i}`;
        const first = i % 2 === 0 ? full : bare;
        const a = await time(first, tenant, query);
        const b = await time(first === full ? bare : full, tenant, query);
        if (i < WARMUP) continue;
        into.full.push(first === full ? a : b);
        into.bare.push(first === full ? b : a);
      }
    }
    for (const origin of standIns) await setLatency(origin, RTT_MS);
    // Round trips per query on each path, counted by the latency rules: both must pay the same RTTs.
    const roundTrips = async (app: typeof full | typeof bare) => {
      const before = await Promise.all(standIns.map(delayedRequests));
      const n = 20;
      for (let i = 0; i < n; i++) await time(app, tenants[i] as BenchTenant, `round trips ${i}`);
      const after = await Promise.all(standIns.map(delayedRequests));
      const [neon, pinecone] = after.map((count, j) => (count - (before[j] as number)) / n);
      return { neon, pinecone };
    };
    const roundTripsPerQuery = { isolated: await roundTrips(full), byHand: await roundTrips(bare) };
    for (const origin of standIns) await setLatency(origin, 0);
    const isolated = median(samples.rtt.full);
    const byHand = median(samples.rtt.bare);
    const [isolatedLocal, byHandLocal] = [median(samples.none.full), median(samples.none.bare)];
    return {
      isolationOverheadRatioAtRtt: round(isolated / byHand),
      isolationOverheadMs: round(isolated - byHand),
      isolationAtRttBench: {
        injectedRttMs: { neonPerRequest: RTT_MS, pineconePerRequest: RTT_MS },
        medianMs: { isolated: round(isolated), byHand: round(byHand) },
        // The same comparison in the alternate blocks without injected RTT: the same run's baseline.
        withoutRtt: {
          ratio: round(isolatedLocal / byHandLocal),
          overheadMs: round(isolatedLocal - byHandLocal),
          medianMs: { isolated: round(isolatedLocal), byHand: round(byHandLocal) },
        },
        roundTripsPerQuery,
        tenants: TENANTS,
        documentsPerTenant: DOCUMENTS,
        requestsPerSetting: REQUESTS,
        cache: 'miss (new query each time)',
      },
    };
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
