// docs/threat-model.md T41: the request id an audit row is filed under is the server's. A client
// that sends its own X-Request-Id (an id of its choosing, or another request's) gets a fresh
// server id back, and no audit row carries the client's value.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, type TestTenant } from './harness.ts';

describe('server-generated request ids', () => {
  let h: Harness;
  let a: TestTenant;
  beforeAll(async () => {
    h = await createHarness(1);
    [a] = h.tenants as [TestTenant];
  });

  it('ignores a client X-Request-Id for the response and the audit row', async () => {
    const chosen = `chosen-${crypto.randomUUID()}`;
    const res = await api(h, a, `/v1/documents/${crypto.randomUUID()}`, { headers: { 'x-request-id': chosen } });
    expect(res.status).toBe(404);
    const served = res.headers.get('x-request-id');
    expect(served).not.toBe(chosen);
    expect(served).toMatch(/^[0-9a-f-]{36}$/);
    const sql = admin();
    const filedUnderClient = await sql.query(
      `select count(*)::int as n from audit_events where detail->>'requestId' = $1`,
      [chosen],
    );
    expect(filedUnderClient[0]).toEqual({ n: 0 });
    const filedUnderServer = await sql.query(
      `select count(*)::int as n from audit_events where tenant_id = $1 and detail->>'requestId' = $2`,
      [a.id, served],
    );
    expect(filedUnderServer[0]).toEqual({ n: 1 });
  });
});
