// The edge middleware chain's added cost per request: the whole app (requestId, security headers,
// settings, body limit, CORS, tenant resolution with a cached API key, rate limit) against a bare
// Hono app answering the same JSON, both timed request by request in one interleaved run.
// Runs in Node: the rate limiter's Durable Object is replaced by the same token bucket in memory,
// so the figure excludes the one RPC to the tenant's Durable Object that production adds.
import { Hono } from 'hono';
import provisioning from '../configs/tenants/provisioning.json' with { type: 'json' };
import { devApiKey } from '../local/dev-keys.ts';
import { createApp } from '../src/app.ts';
import { createTenantRegistry } from '../src/tenancy/registry.ts';
import { inMemoryKeyStore } from '../test/worker/helpers/in-memory-key-store.ts';
import { memoryRateLimiter } from './support/memory-bindings.ts';
import { median, percentile, round } from './support/stats.ts';

const REQUESTS = 20_000;
const WARMUP = 3_000;
const API_HOST = 'api.bulkhead.localhost';

const micros = (value: number) => round(value, 2);

export async function run() {
  // The demo registry with acme's limits raised, so the bench measures the limiter, not 429s.
  const document = structuredClone(provisioning);
  const acme = document.tenants.find((tenant) => tenant.slug === 'acme');
  if (!acme) throw new Error('demo tenant acme missing');
  acme.limits = { ...acme.limits, requestsPerMinute: 1_000_000, burst: 100_000 };
  const env = {
    ENVIRONMENT: 'production',
    API_HOST,
    DATABASE_URL: 'postgres://bench:bench@127.0.0.1:1/bench',
    PINECONE_API_KEY: 'bench',
    PINECONE_INDEX_HOST: 'http://127.0.0.1:1',
    S3_ENDPOINT: 'http://127.0.0.1:1',
    S3_BUCKET: 'bench-bucket',
    S3_REGION: 'auto',
    S3_ACCESS_KEY_ID: 'bench',
    S3_SECRET_ACCESS_KEY: 'bench',
    WIDGET_USER_SECRET: 'bench-widget-user-secret-not-for-production-0000',
    TENANT_RATE_LIMITER: memoryRateLimiter(),
  };
  // Keys from memory: the figure is the chain's cost with a cached key, not a database lookup.
  const registry = createTenantRegistry(document);
  const full = createApp({ registry, keyStore: inMemoryKeyStore(registry.apiKeys()) });
  const answer = { tenantId: acme.id, principal: { kind: 'secret_key', id: 'x' }, scopes: ['chat'], projectIds: 'all' };
  const bare = new Hono().get('/v1/whoami', (c) => c.json(answer));

  const url = `https://acme.${API_HOST}/v1/whoami`;
  const init = {
    headers: { 'x-api-key': (await devApiKey('acme', 'secret')).key, origin: 'https://www.acme.example' },
  };
  const time = async (app: { request: typeof full.request }) => {
    const started = performance.now();
    const res = await app.request(url, init, env);
    const micros = (performance.now() - started) * 1000;
    if (res.status !== 200) throw new Error(`bench request answered ${res.status}`);
    return micros;
  };

  for (let i = 0; i < WARMUP; i++) {
    await time(full);
    await time(bare);
  }
  const fullTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    fullTimes.push(await time(full));
    bareTimes.push(await time(bare));
  }
  return {
    middlewareMicros: micros(median(fullTimes) - median(bareTimes)),
    middlewareRequests: REQUESTS,
    middlewareFullMedianMicros: micros(median(fullTimes)),
    middlewareBareMedianMicros: micros(median(bareTimes)),
    middlewareFullP90Micros: micros(percentile(fullTimes, 0.9)),
    middlewareRuntime: `node ${process.versions.node}, rate-limit Durable Object RPC excluded`,
  };
}
