// Cost as tenants grow (issue 17 §4): two local stacks, one holding 10 tenants and one holding
// 10,000, with the same data per tenant (one project, one key, DOCUMENTS one-chunk documents and
// their vectors: 50,000 documents, chunks and vectors in the large one). Ten tenants spread over
// each stack are measured, request by request alternating between the stacks, so drift on a
// shared machine falls on both alike:
// - tenantScalingRatio: median POST /v1/query through the full app, a new query each time (cache
//   miss: embed, vector query in the tenant's namespace, one database batch), large / small;
// - tenantScalingKeyResolutionRatio: the key lookup the resolver does on a cold isolate
//   (bulkhead_auth.resolve_api_key through the Neon endpoint, plus the registry entry), large / small;
// - tenantScalingListRatio: median GET /v1/documents?limit=20 through the full app, large / small.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate } from '../scripts/db/migrations.ts';
import { createApp } from '../src/app.ts';
import { readSettings } from '../src/config/settings.ts';
import { databaseKeyStore } from '../src/db/database-key-store.ts';
import { createTenantRegistry } from '../src/tenancy/registry.ts';
import { inMemoryKeyStore } from '../test/worker/helpers/in-memory-key-store.ts';
import { type BenchTenant, provisioned, TOPICS } from './api/seed-tenants.ts';
import { seedManyTenants } from './scaling-fixture.ts';
import { startChildStack } from './support/child-stack.ts';
import { executionContext, memoryKv, memoryRateLimiter } from './support/memory-bindings.ts';
import { median, round } from './support/stats.ts';

const SMALL = 10;
const LARGE = Number(process.env.SCALING_TENANTS ?? 10_000);
const DOCUMENTS = 5;
const MEASURED = 10;
const ROUNDS = 300;
const WARMUP = 30;
const API_HOST = 'api.bulkhead.localhost';

async function world(tenantCount: number) {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-scaling-'));
  await chmod(stateDir, 0o755); // as root, Postgres runs as another user that must reach its data dir
  const stack = await startChildStack(stateDir);
  await migrate(stack.adminUrl);
  const env = {
    ...stack.workerVars,
    ENVIRONMENT: 'test',
    API_HOST,
    CACHE: memoryKv(),
    TENANT_RATE_LIMITER: memoryRateLimiter(),
  };
  const settings = readSettings(env);
  const started = performance.now();
  const tenants = await seedManyTenants(stack.adminUrl, settings, tenantCount, DOCUMENTS);
  const seedSeconds = round((performance.now() - started) / 1000, 1);
  // The api benchmark's registry entries, with the list's scope too (as the keys in Postgres have).
  const entries = tenants.map((t) => {
    const entry = provisioned(t);
    return { ...entry, apiKeys: entry.apiKeys.map((key) => ({ ...key, scopes: ['retrieval', 'documents:read'] })) };
  });
  const registry = createTenantRegistry({ tenants: entries });
  const app = createApp({ registry, keyStore: inMemoryKeyStore(registry.apiKeys()) });
  const step = Math.floor(tenants.length / MEASURED);
  const measured = Array.from({ length: MEASURED }, (_, i) => tenants[i * step] as BenchTenant);
  const keys = databaseKeyStore();
  const ctx = executionContext();
  const call = async (path: string, tenant: BenchTenant, body?: unknown) => {
    const headers: Record<string, string> = { 'x-api-key': tenant.key };
    if (body) headers['content-type'] = 'application/json';
    const init = { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined };
    const t0 = performance.now();
    const res = await app.request(`https://${API_HOST}${path}`, init, env, ctx);
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    return ms;
  };
  return {
    seedSeconds,
    measured,
    query: (tenant: BenchTenant, i: number) =>
      call('/v1/query', tenant, { query: `${TOPICS[i % TOPICS.length]} question ${i} ${tenantCount}`, topK: 5 }),
    list: (tenant: BenchTenant) => call('/v1/documents?limit=20', tenant),
    resolveKey: async (tenant: BenchTenant) => {
      const t0 = performance.now();
      const [found] = await keys.findByKeyId(tenant.keyId, settings);
      if (!found || !registry.byId(found.tenantId)) throw new Error('key not resolved');
      return performance.now() - t0;
    },
    stop: async () => {
      await stack.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const small = await world(SMALL);
  const large = await world(LARGE).catch(async (error) => {
    await small.stop();
    throw error;
  });
  try {
    const times = {
      small: { query: [] as number[], list: [] as number[], key: [] as number[] },
      large: { query: [] as number[], list: [] as number[], key: [] as number[] },
    };
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      // Alternating which stack goes first, so neither always runs on a warmer machine.
      const order = i % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const name of order) {
        const w = name === 'small' ? small : large;
        const tenant = w.measured[i % MEASURED] as BenchTenant;
        const q = await w.query(tenant, i);
        const l = await w.list(tenant);
        const k = await w.resolveKey(tenant);
        if (i < WARMUP) continue;
        times[name].query.push(q);
        times[name].list.push(l);
        times[name].key.push(k);
      }
    }
    const ratio = (kind: 'query' | 'list' | 'key') => round(median(times.large[kind]) / median(times.small[kind]));
    const medians = (name: 'small' | 'large') => ({
      queryMs: round(median(times[name].query)),
      listMs: round(median(times[name].list)),
      keyResolutionMs: round(median(times[name].key)),
    });
    return {
      tenantScalingRatio: ratio('query'),
      tenantScalingKeyResolutionRatio: ratio('key'),
      tenantScalingListRatio: ratio('list'),
      tenantScalingBench: {
        tenants: { small: SMALL, large: LARGE },
        perTenant: { projects: 1, apiKeys: 1, documents: DOCUMENTS, chunks: DOCUMENTS, vectors: DOCUMENTS },
        measuredTenants: MEASURED,
        rounds: ROUNDS,
        cache: 'miss (new query each time); key lookup straight to Postgres (cold isolate)',
        medians: { small: medians('small'), large: medians('large') },
        seedSeconds: { small: small.seedSeconds, large: large.seedSeconds },
      },
    };
  } finally {
    await small.stop();
    await large.stop();
  }
}
