// tenantRateLimit alone, with its Durable Object namespace replaced: what the middleware does with
// each verdict, and that the bucket it asks for is named by the tenant id from the context.
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { type Scope, toTenantId } from '../tenancy/context.ts';
import { type BucketLimits, type BucketState, takeToken } from '../tenancy/token-bucket.ts';
import type { AppEnv } from './app-env.ts';
import { tenantRateLimit } from './rate-limit.ts';

const LIMITS = { requestsPerMinute: 60, burst: 2, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 1 };
const asTenant = createMiddleware<AppEnv>(async (c, next) => {
  const tenantId = toTenantId(c.req.header('x-test-tenant') ?? '');
  c.set('tenant', {
    tenantId,
    projectIds: 'all',
    principal: { kind: 'secret_key', id: 'k' },
    scopes: new Set<Scope>(),
    features: {},
    limits: LIMITS,
  });
  await next();
});
const app = appWith(asTenant, tenantRateLimit()).get('/r', (c) => c.text('ok'));

function fakeLimiter(fail = false) {
  const buckets = new Map<string, BucketState>();
  const names: string[] = [];
  const namespace = {
    getByName: (name: string) => ({
      take: async (limits: BucketLimits) => {
        names.push(name);
        if (fail) throw new Error('Durable Object overloaded');
        const { state, verdict } = takeToken(buckets.get(name), limits, 1_000);
        buckets.set(name, state);
        return verdict;
      },
    }),
  };
  return { bindings: { TENANT_RATE_LIMITER: namespace } as unknown as Partial<Env>, names };
}

const A = '20000000-0000-4000-8000-00000000000a';
const B = '20000000-0000-4000-8000-00000000000b';
const hit = (tenant: string, bindings: Partial<Env>) =>
  send(app, '/r', { headers: { 'x-test-tenant': tenant } }, bindings);

describe('tenantRateLimit', () => {
  it("answers 429 with Retry-After once the tenant's burst is spent; other tenants unaffected", async () => {
    const { bindings, names } = fakeLimiter();
    const statuses = [await hit(A, bindings), await hit(A, bindings), await hit(A, bindings)].map((r) => r.status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await hit(A, bindings);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await hit(B, bindings)).status).toBe(200);
    expect(new Set(names)).toEqual(new Set([A, B]));
  });

  it('fails closed with 503 and Retry-After when the limiter cannot answer', async () => {
    const res = await hit(A, fakeLimiter(true).bindings);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
