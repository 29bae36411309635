// Every data access and every denial of a known tenant becomes an audit_events row: tenant, actor,
// action, resource, outcome and request id, filed under the principal's reach.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation } from './resources.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

async function eventsOf(res: Response) {
  const requestId = res.headers.get('x-request-id');
  const rows = await admin().query(
    `select tenant_id, project_id, actor_kind, action, target_type, target_id, detail->>'outcome' as outcome
     from audit_events where detail->>'requestId' = $1 order by created_at`,
    [requestId],
  );
  return rows as Array<Record<string, string | null>>;
}

describe('audit', () => {
  it('records reads, writes and their outcome under the caller’s tenant', async () => {
    const id = await ingestedDocument(h, a);
    const read = await api(h, a, `/v1/documents/${id}`);
    expect(await eventsOf(read)).toEqual([
      expect.objectContaining({
        tenant_id: a.id,
        actor_kind: 'secret_key',
        action: 'document.read',
        target_id: id,
        outcome: 'allowed',
        project_id: a.projectIds[0],
      }),
    ]);
    const probe = await api(h, b, `/v1/documents/${id}`);
    expect(await eventsOf(probe)).toEqual([
      expect.objectContaining({
        tenant_id: b.id,
        action: 'document.read',
        target_id: id,
        outcome: 'not_found',
        project_id: null,
      }),
    ]);
    const deleted = await api(h, a, `/v1/documents/${id}`, { method: 'DELETE' });
    expect((await eventsOf(deleted)).map((e) => [e.action, e.outcome])).toEqual([['document.delete', 'allowed']]);
  });

  it('records a refused scope as a denial, and a widget’s events under its own project', async () => {
    const denied = await api(h, a, '/v1/documents', { key: 'chatOnly' });
    expect(denied.status).toBe(403);
    expect(await eventsOf(denied)).toEqual([
      expect.objectContaining({ tenant_id: a.id, action: 'access.denied', target_type: 'route', outcome: 'denied' }),
    ]);
    const conversation = await widgetConversation(h, a);
    const other = await api(h, a, `/v1/conversations/${conversation.id}`, {
      key: 'publishable',
      headers: { 'x-widget-user': 'nobody' },
    });
    expect(await eventsOf(other)).toEqual([
      expect.objectContaining({
        actor_kind: 'publishable_key',
        action: 'conversation.read',
        outcome: 'not_found',
        project_id: a.projectIds[0],
      }),
    ]);
  });
});
