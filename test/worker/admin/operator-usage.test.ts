// GET /operator/v1/usage: counts per tenant for the operator, through
// bulkhead_auth.tenant_usage_counts (drizzle/0008_admin_api.sql). Each tenant's counts are its own
// rows only, nothing but counts leaves, the caller's tenant context survives the call, and a tenant
// credential is refused.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { devOperatorKey } from '../../../local/dev-keys.ts';
import { httpSql } from '../../../src/db/neon-client.ts';
import { api, createHarness, type Harness, type TestTenant } from '../api/harness.ts';
import { ingestedDocument, widgetConversation } from '../api/resources.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';

interface UsageRow {
  tenantId: string;
  documents: number;
  chunks: number;
  conversations: number;
  messages: number;
  storedBytes: number;
  liveApiKeys: number;
}

const operatorGet = (h: Harness, path: string, authorization: string) =>
  h.app.request(`https://${env.API_HOST}/operator/v1${path}`, { headers: { authorization } }, env);

describe('operator usage', { timeout: 60_000 }, () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  let operatorKey: string;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
    operatorKey = await devOperatorKey('readonly');
    await ingestedDocument(h, a);
    await widgetConversation(h, a);
  });

  /** Every page, `limit` tenants at a time. */
  async function allUsage(limit: number): Promise<{ rows: UsageRow[]; texts: string[] }> {
    const rows: UsageRow[] = [];
    const texts: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `?limit=${limit}${after ? `&after=${after}` : ''}`;
      const res = await operatorGet(h, `/usage${query}`, `Bearer ${operatorKey}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const text = await res.text();
      texts.push(text);
      const page = JSON.parse(text) as { tenants: UsageRow[]; nextAfter: string | null };
      rows.push(...page.tenants);
      after = page.nextAfter;
    } while (after);
    return { rows, texts };
  }

  it("counts each tenant's own rows, and nothing but counts leaves", async () => {
    const { rows, texts } = await allUsage(1000);
    const [expected] = (await admin()`select
      (select count(*)::int from documents where tenant_id = ${a.id}) as documents,
      (select count(*)::int from chunks where tenant_id = ${a.id}) as chunks,
      (select count(*)::int from conversations where tenant_id = ${a.id}) as conversations,
      (select coalesce(sum(size_bytes), 0)::int from documents where tenant_id = ${a.id}) as stored_bytes,
      (select count(*)::int from api_keys where tenant_id = ${a.id}) as keys`) as Record<string, number>[];
    expect(rows.find((row) => row.tenantId === a.id)).toEqual({
      tenantId: a.id,
      documents: expected?.documents,
      chunks: expected?.chunks,
      conversations: expected?.conversations,
      messages: 0,
      storedBytes: expected?.stored_bytes,
      liveApiKeys: expected?.keys,
    });
    expect(expected?.documents).toBe(1);
    expect(rows.find((row) => row.tenantId === b.id)).toMatchObject({ documents: 0, chunks: 0, conversations: 0 });
    for (const text of texts) expect(text).not.toContain(a.canary);
  });

  it('pages by tenant id: small pages list the same tenants once each', async () => {
    const whole = (await allUsage(1000)).rows.map((row) => row.tenantId);
    const paged = (await allUsage(2)).rows.map((row) => row.tenantId);
    expect(paged).toEqual(whole);
    expect([...whole].sort()).toEqual(whole);
  });

  it("puts the caller's context back, and a tenant key is refused", async () => {
    const sql = httpSql(testSettings());
    const [, , after] = (await sql.transaction([
      sql`select set_config('app.current_tenant', ${a.id}, true), set_config('app.allowed_projects', '*', true)`,
      sql`select count(*) from bulkhead_auth.tenant_usage_counts(null, 1000)`,
      sql`select current_setting('app.current_tenant', true) as tenant, current_setting('app.allowed_projects', true) as projects`,
    ])) as [unknown, unknown, { tenant: string; projects: string }[]];
    expect(after[0]).toEqual({ tenant: a.id, projects: '*' });
    for (const authorization of [`Bearer ${a.keys.secret}`, '']) {
      const res = await operatorGet(h, '/usage', authorization);
      expect(res.status).toBe(401);
    }
    // and the tenant API has no such route for a tenant key to reach it by
    expect((await api(h, a, '/v1/operator/v1/usage')).status).toBe(404);
  });
});
