// docs/threat-model.md T49 (refusals recorded), issue: refusals at tenant resolution leave a row
// once a verified key names the tenant — a widget key from a foreign Origin, a key with another
// tenant's x-tenant-id — filed under the key's own tenant, and sampled so a flood of them costs one
// row per interval, not one per request.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, type TestTenant } from './harness.ts';

const denialsOf = async (tenantId: string) =>
  (await admin().query(
    `select tenant_id, target_id, detail->>'reason' as reason, detail->>'requestId' as request_id from audit_events
     where action = 'access.denied' and tenant_id = $1 and target_type = 'route' order by created_at`,
    [tenantId],
  )) as Array<{ tenant_id: string; target_id: string; reason: string; request_id: string }>;

describe('refusals at resolution are audited', () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  it("a widget key from a foreign origin: 403 and one row under the key's tenant, however many tries", async () => {
    const tries = await Promise.all(
      Array.from({ length: 5 }, () => api(h, a, '/v1/whoami', { key: 'publishable', origin: 'https://evil.example' })),
    );
    for (const res of tries) expect(res.status).toBe(403);
    const rows = (await denialsOf(a.id)).filter((row) => row.reason === 'origin_not_allowed');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: a.id, target_id: 'tenant resolution' });
    expect(tries.map((res) => res.headers.get('x-request-id'))).toContain(rows[0]?.request_id);
    expect(await denialsOf(b.id)).toEqual([]);
  });

  it("a key with another tenant's x-tenant-id: 403 and a row under the key's tenant, none under the other", async () => {
    const res = await api(h, a, '/v1/whoami', {
      headers: { 'x-tenant-id': b.id },
      bindings: { ENVIRONMENT: 'development' },
    });
    expect(res.status).toBe(403);
    const rows = (await denialsOf(a.id)).filter((row) => row.reason === 'tenant_mismatch');
    expect(rows).toEqual([expect.objectContaining({ request_id: res.headers.get('x-request-id') })]);
    expect(await denialsOf(b.id)).toEqual([]);
  });
});
