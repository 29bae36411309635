// GET and PUT /v1/retention: a tenant admin sets how long messages and retrieval logs are kept; the
// setting is its own tenant's (another tenant's stays), audited, and refused to a non-admin key.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, type TestTenant } from '../api/harness.ts';
import { admin } from '../db/fixtures.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

describe('retention settings', () => {
  it('unset means forever; a PUT sets this tenant only, and is audited', async () => {
    expect(await (await api(h, a, '/v1/retention')).json()).toEqual({ messagesDays: null, retrievalsDays: null });
    const put = await api(h, a, '/v1/retention', { method: 'PUT', body: { messagesDays: 90, retrievalsDays: 7 } });
    expect(put.status).toBe(200);
    expect(await (await api(h, a, '/v1/retention')).json()).toEqual({ messagesDays: 90, retrievalsDays: 7 });
    expect(await (await api(h, b, '/v1/retention')).json()).toEqual({ messagesDays: null, retrievalsDays: null });
    const rows =
      await admin()`select detail->>'messagesDays' as days from audit_events where tenant_id = ${a.id} and action = 'retention.changed'`;
    expect(rows).toEqual([{ days: '90' }]);
  });

  it('refuses a key without admin (403) and a bad value (400)', async () => {
    expect(
      (
        await api(h, a, '/v1/retention', {
          method: 'PUT',
          key: 'readOnly',
          body: { messagesDays: 1, retrievalsDays: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api(h, a, '/v1/retention', { method: 'PUT', body: { messagesDays: 0, retrievalsDays: null } })).status,
    ).toBe(400);
  });
});
