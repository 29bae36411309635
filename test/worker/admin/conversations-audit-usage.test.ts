// Admin reads of chat, the audit log and usage: conversations listed per project and per widget
// user and deleted with their messages; the audit log filtered and paged with the documents cursor;
// usage counted from Postgres (stored rows, audited actions and refusals per day). Never another
// tenant's rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from '../api/harness.ts';
import { ingestedDocument, widgetConversation } from '../api/resources.ts';
import { admin } from '../db/fixtures.ts';

interface ConversationPage {
  conversations: { id: string; projectId: string; endUserId: string | null; messages: number }[];
  nextCursor: string | null;
}
interface AuditPage {
  events: {
    id: string;
    action: string;
    outcome: string | null;
    actor: { kind: string; id: string };
    target: { type: string | null; id: string | null };
  }[];
  nextCursor: string | null;
}

describe('conversations, audit log and usage (admin)', () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  it('lists conversations per project and per widget user, pages them, and deletes one with its messages', {
    timeout: 60_000,
  }, async () => {
    await ingestedDocument(h, a);
    const first = await widgetConversation(h, a);
    const second = await widgetConversation(h, a);
    const message = await api(h, a, `/v1/conversations/${first.id}/messages`, {
      key: 'publishable',
      headers: { 'x-widget-user': first.widgetUser },
      body: { content: 'What answers questions?' },
    });
    expect(message.status).toBe(201);
    const all = await json<ConversationPage>(await api(h, a, `/v1/conversations?projectId=${a.projectIds[0]}`));
    expect(all.conversations.map((c) => c.id)).toEqual([second.id, first.id]);
    expect(all.conversations.find((c) => c.id === first.id)?.messages).toBe(2);
    const endUser = all.conversations.find((c) => c.id === first.id)?.endUserId as string;
    const mine = await json<ConversationPage>(
      await api(h, a, `/v1/conversations?endUserId=${encodeURIComponent(endUser)}`),
    );
    expect(mine.conversations.map((c) => c.id)).toEqual([first.id]);
    const page1 = await json<ConversationPage>(await api(h, a, '/v1/conversations?limit=1'));
    expect(page1.conversations.map((c) => c.id)).toEqual([second.id]);
    const page2 = await json<ConversationPage>(
      await api(h, a, `/v1/conversations?limit=1&cursor=${page1.nextCursor as string}`),
    );
    expect(page2.conversations.map((c) => c.id)).toEqual([first.id]);
    // Tenant B sees none of them and cannot delete one.
    const theirs = await json<ConversationPage>(await api(h, b, '/v1/conversations'));
    expect(theirs.conversations).toEqual([]);
    expect((await api(h, b, `/v1/conversations/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    const [kept] = (await admin()`select count(*)::int as n from messages where tenant_id = ${a.id}
      and conversation_id = ${first.id}`) as { n: number }[];
    expect(kept?.n).toBe(2);
    // Tenant A deletes it: the conversation and its messages are gone.
    expect((await api(h, a, `/v1/conversations/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    const [gone] = (await admin()`select
      (select count(*)::int from conversations where tenant_id = ${a.id} and id = ${first.id}) as conversations,
      (select count(*)::int from messages where tenant_id = ${a.id} and conversation_id = ${first.id}) as messages`) as {
      conversations: number;
      messages: number;
    }[];
    expect(gone).toEqual({ conversations: 0, messages: 0 });
  });

  it('reads its own audit log filtered by action, outcome and actor, newest first, page by page', {
    timeout: 60_000,
  }, async () => {
    await api(h, a, `/v1/documents/${crypto.randomUUID()}`); // a not_found read
    await api(h, a, '/v1/documents', { key: 'chatOnly' }); // a scope refusal
    const denied = await json<AuditPage>(await api(h, a, '/v1/audit-events?outcome=denied'));
    expect(denied.events.length).toBeGreaterThan(0);
    expect(denied.events.every((e) => e.outcome === 'denied' && e.action === 'access.denied')).toBe(true);
    const reads = await json<AuditPage>(await api(h, a, '/v1/audit-events?action=document.read&outcome=not_found'));
    expect(reads.events.length).toBe(1);
    // The id the caller sent named nothing of this tenant's: not echoed back.
    expect(reads.events[0]?.target).toEqual({ type: 'document', id: null });
    const byKind = await json<AuditPage>(await api(h, a, '/v1/audit-events?actorKind=publishable_key&limit=100'));
    expect(byKind.events.length).toBeGreaterThan(0);
    expect(byKind.events.every((e) => e.actor.kind === 'publishable_key')).toBe(true);
    // Paging walks every row once, newest first; a later `since` leaves out the earlier ones.
    const [count] = (await admin()`select count(*)::int as n from audit_events where tenant_id = ${a.id}
      and action <> 'audit.list'`) as { n: number }[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: AuditPage = await json<AuditPage>(await api(h, a, `/v1/audit-events?limit=3${query}`));
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(count?.n ?? 0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await json<AuditPage>(await api(h, a, `/v1/audit-events?since=${future}`))).events).toEqual([]);
    // Nothing of tenant B's appears, and B's log holds nothing of A's.
    const bIds = (await admin()`select id from audit_events where tenant_id = ${b.id}`) as { id: string }[];
    expect(seen.filter((id) => bIds.some((row) => row.id === id))).toEqual([]);
    const theirs = await api(h, b, '/v1/audit-events?limit=100');
    expect(await theirs.text()).not.toContain(a.id);
    // A bad cursor is a 400, as on GET /v1/documents.
    expect((await api(h, a, '/v1/audit-events?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('usage: stored counts and per-day actions and refusals, from the tenant own rows only', {
    timeout: 60_000,
  }, async () => {
    const usage = await json<{
      totals: Record<string, number>;
      days: { date: string; actions: Record<string, number>; denials: Record<string, number> }[];
    }>(await api(h, a, '/v1/usage?days=3'));
    const [expected] = (await admin()`select
      (select count(*)::int from documents where tenant_id = ${a.id}) as documents,
      (select count(*)::int from chunks where tenant_id = ${a.id}) as chunks,
      (select coalesce(sum(size_bytes), 0)::int from documents where tenant_id = ${a.id}) as stored_bytes,
      (select count(*)::int from conversations where tenant_id = ${a.id}) as conversations`) as Record<
      string,
      number
    >[];
    expect(usage.totals).toMatchObject({
      documents: expected?.documents,
      chunks: expected?.chunks,
      vectors: expected?.chunks,
      storedBytes: expected?.stored_bytes,
      conversations: expected?.conversations,
      projects: 2,
    });
    expect(usage.totals.documents).toBeGreaterThan(0);
    expect(usage.days.map((d) => d.date)).toHaveLength(3);
    const today = usage.days.at(-1);
    expect(today?.date).toBe(new Date().toISOString().slice(0, 10));
    expect(today?.denials.missing_scope).toBeGreaterThanOrEqual(1);
    expect(today?.actions.not_found).toBeGreaterThanOrEqual(1);
    // Tenant B's usage counts none of A's rows.
    const theirs = await json<{ totals: Record<string, number> }>(await api(h, b, '/v1/usage'));
    expect(theirs.totals).toMatchObject({ documents: 0, chunks: 0, conversations: 0 });
  });
});
