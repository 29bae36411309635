// A retrieval-only answer (no CHAT_MODEL) quotes the retrieved chunks verbatim, which is exactly
// what POST /v1/query returns: so it needs the `retrieval` scope as well as `chat`. A chat-only key
// gets the same 403 from POST /v1/conversations/{id}/messages as from POST /v1/query, audited like
// every scope refusal, and nothing is retrieved or stored. With a chat model configured, `chat`
// alone is enough: the answer is the model's, not the chunks.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, type KeyName, outcome, type TestTenant } from './harness.ts';
import { ingestedDocument } from './resources.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
  await ingestedDocument(h, a, `Returns: the ${a.canary} shop accepts returns within 30 days of delivery.`);
});

const MODEL = { CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct', AI: { run: async () => ({ response: 'Thirty days.' }) } };

async function conversationOf(key: KeyName) {
  const res = await api(h, a, '/v1/conversations', { key, body: { projectId: a.projectIds[0] } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ conversation: { id: string } }>(res)).conversation.id;
}

const ask = (key: KeyName, id: string, bindings?: Record<string, unknown>) =>
  api(h, a, `/v1/conversations/${id}/messages`, { key, body: { content: 'How long for returns?' }, bindings });

const countWhere = async (table: 'messages' | 'retrievals', conversationId: string) =>
  (
    (
      await admin().query(`select count(*)::int as n from ${table} where conversation_id = $1`, [conversationId])
    )[0] as {
      n: number;
    }
  ).n;

describe('retrieval-only answers need the retrieval scope', () => {
  it('a chat-only key gets the 403 POST /v1/query gives it, audited, and nothing of the chunks', async () => {
    const query = await api(h, a, '/v1/query', { key: 'chatOnly', body: { query: 'returns', topK: 3 } });
    const refusal = await outcome(query);
    expect(refusal).toEqual({ status: 403, code: 'forbidden', message: 'This credential lacks the retrieval scope' });

    const id = await conversationOf('chatOnly');
    const res = await ask('chatOnly', id);
    const text = await res.clone().text();
    expect(await outcome(res)).toEqual(refusal);
    expect(text).not.toContain(a.canary);
    const denials = await admin().query(
      `select tenant_id, target_id, detail->>'outcome' as outcome, detail->>'requiredScope' as required
       from audit_events where action = 'access.denied' and detail->>'requestId' = $1`,
      [res.headers.get('x-request-id')],
    );
    expect(denials).toEqual([
      { tenant_id: a.id, target_id: 'POST /v1/conversations/:id/messages', outcome: 'denied', required: 'retrieval' },
    ]);
    expect(await countWhere('messages', id)).toBe(0);
    expect(await countWhere('retrievals', id)).toBe(0);
  });

  it('a key with chat and retrieval gets the quoted passages', async () => {
    const id = await conversationOf('secret');
    const res = await ask('secret', id);
    expect(res.status).toBe(201);
    const body = await json<{ mode: string; answer: { content: string } }>(res);
    expect(body.mode).toBe('retrieval-only');
    expect(body.answer.content).toContain(a.canary);
  });

  it('with a chat model configured, the chat scope alone is enough', async () => {
    const id = await conversationOf('chatOnly');
    const res = await ask('chatOnly', id, MODEL);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await json(res)).toMatchObject({ mode: 'generated', answer: { content: 'Thirty days.' } });
  });
});
