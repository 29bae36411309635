// docs/threat-model.md T38 and T49: a rate-limit refusal is recorded, as an access.denied row
// `{ reason: 'rate_limited', bucket }` (bucket: tenant, widget or client) filed under the tenant the
// limiter counted for, and sampled: a flood costs one row per principal, bucket and 10 s in an
// isolate, not one per 429. Fresh tenants with a slow refill (one token every 10 s), so that the
// whole flood falls in one sample window and no other test's rows are counted.
import { abortAllDurableObjects } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { createTenantRegistry } from '../../../src/tenancy/registry.ts';
import { type ApiRequest, api, createHarness, type Harness, type TestTenant } from '../api/harness.ts';
import { admin } from '../db/fixtures.ts';

const LIMITS = { requestsPerMinute: 6, burst: 4, maxDocuments: 10, maxUploadBytes: 1_000_000, maxTopK: 5 };

interface DenialRow {
  tenant_id: string;
  target_id: string;
  reason: string;
  bucket: string | null;
  request_id: string;
}

/** Every access.denied row carrying one of these request ids, under whichever tenant. */
async function denialsFor(requestIds: string[]) {
  return (await admin().query(
    `select tenant_id, target_id, detail->>'reason' as reason, detail->>'bucket' as bucket,
            detail->>'requestId' as request_id
       from audit_events
      where action = 'access.denied' and detail->>'requestId' = any($1::text[])`,
    [requestIds],
  )) as DenialRow[];
}

async function rateLimitRowsOf(tenantId: string) {
  return (await admin().query(
    `select tenant_id from audit_events where action = 'access.denied' and tenant_id = $1 and target_id = 'rate limit'`,
    [tenantId],
  )) as Array<{ tenant_id: string }>;
}

let h: Harness;
let a: TestTenant;
let quiet: TestTenant;
let widgetTenant: TestTenant;

beforeAll(async () => {
  // The harness seeds the tenants and their keys in Postgres; this registry gives them low limits.
  const seeded = await createHarness(3);
  const registry = createTenantRegistry({
    tenants: seeded.tenants.map((tenant) => ({
      id: tenant.id,
      slug: tenant.slug,
      name: `Limited ${tenant.slug}`,
      status: 'active',
      allowedOrigins: [tenant.origin],
      features: { chat: true },
      limits: LIMITS,
      projects: tenant.projectIds.map((id, i) => ({ id, name: `project ${i}` })),
      apiKeys: [],
    })),
  });
  h = { tenants: seeded.tenants, app: createApp({ registry }) };
  [a, quiet, widgetTenant] = h.tenants as [TestTenant, TestTenant, TestTenant];
});

beforeEach(() => abortAllDurableObjects());

const requestIdOf = (res: Response) => res.headers.get('x-request-id') ?? '';

/** One request alone (the key is verified and cached), then the rest at once. */
async function flood(tenant: TestTenant, count: number, request: (i: number) => ApiRequest) {
  const first = await api(h, tenant, '/v1/whoami', request(0));
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, (_, i) => api(h, tenant, '/v1/whoami', request(i + 1))),
  );
  return [first, ...rest];
}

describe('rate-limit refusals are audited', () => {
  it('10× the limit: many 429s, exactly one row under the tenant, none under any other', async () => {
    const answers = await flood(a, LIMITS.burst * 10, () => ({}));
    const limited = answers.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(LIMITS.burst * 9);

    const rows = await denialsFor(answers.map(requestIdOf));
    expect(rows).toEqual([
      expect.objectContaining({ tenant_id: a.id, target_id: 'rate limit', reason: 'rate_limited', bucket: 'tenant' }),
    ]);
    expect(limited.map(requestIdOf)).toContain(rows[0]?.request_id);
    expect(await rateLimitRowsOf(a.id)).toHaveLength(1);
    expect(await rateLimitRowsOf(quiet.id)).toEqual([]);
    expect(await rateLimitRowsOf(widgetTenant.id)).toEqual([]);
  });

  it("a widget key's refusals name the bucket that refused: one row for its client's, one for the widget's", async () => {
    const widgetBurst = Math.ceil(LIMITS.burst / 2);
    // One address: its client bucket (one token) refuses.
    const oneClient = await flood(widgetTenant, 10, () => ({
      key: 'publishable',
      headers: { 'cf-connecting-ip': '203.0.113.61' },
    }));
    expect(oneClient.filter((res) => res.status === 429).length).toBeGreaterThanOrEqual(9);
    // Fresh addresses: the widget bucket refuses once spent.
    const manyClients = await flood(widgetTenant, widgetBurst * 10, (i) => ({
      key: 'publishable',
      headers: { 'cf-connecting-ip': `203.0.114.${i}` },
    }));
    expect(manyClients.filter((res) => res.status === 429).length).toBeGreaterThanOrEqual(widgetBurst * 9);

    const rows = await denialsFor([...oneClient, ...manyClients].map(requestIdOf));
    expect(rows.map(({ tenant_id, target_id, reason, bucket }) => ({ tenant_id, target_id, reason, bucket }))).toEqual(
      expect.arrayContaining([
        { tenant_id: widgetTenant.id, target_id: 'rate limit', reason: 'rate_limited', bucket: 'client' },
        { tenant_id: widgetTenant.id, target_id: 'rate limit', reason: 'rate_limited', bucket: 'widget' },
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(await rateLimitRowsOf(quiet.id)).toEqual([]);
  });
});
