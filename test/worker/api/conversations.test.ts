// The widget's chat: an anonymous widget user per browser, answers grounded in the tenant's own
// documents with citations, retrieval-only (and saying so) when no model is configured, and one
// widget user never reading another's conversation.
import { beforeAll, describe, expect, it } from 'vitest';
import { RETRIEVAL_ONLY_PREFIX } from '../../../src/services/conversations/compose-answer.ts';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation, widgetUserOf } from './resources.ts';

let h: Harness;
let a: TestTenant;
let documentId: string;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
  documentId = await ingestedDocument(
    h,
    a,
    `Returns: the ${a.canary} shop accepts returns within 30 days of delivery.`,
  );
});

interface Answer {
  mode: string;
  answer: { id: string; content: string };
  citations: Array<{ number: number; documentId: string; title: string }>;
}

const ask = (conversation: { id: string; widgetUser: string }, content: string, bindings?: Record<string, unknown>) =>
  api(h, a, `/v1/conversations/${conversation.id}/messages`, {
    key: 'publishable',
    headers: { 'x-widget-user': conversation.widgetUser },
    body: { content },
    bindings,
  });

describe('conversations', () => {
  it('issues an anonymous widget user and answers retrieval-only with citations, saying so', async () => {
    const conversation = await widgetConversation(h, a);
    expect(conversation.widgetUser).toMatch(/^wu_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    const res = await ask(conversation, 'How long do I have for returns?');
    expect(res.status).toBe(201);
    const body = await json<Answer>(res);
    expect(body.mode).toBe('retrieval-only');
    expect(body.answer.content.startsWith(RETRIEVAL_ONLY_PREFIX)).toBe(true);
    expect(body.answer.content).toContain('[1]');
    expect(body.answer.content).toContain(a.canary);
    expect(body.citations[0]).toMatchObject({ number: 1, documentId });

    const read = await api(h, a, `/v1/conversations/${conversation.id}`, {
      key: 'publishable',
      headers: { 'x-widget-user': conversation.widgetUser },
    });
    const { messages } = await json<{ messages: Array<{ role: string; content: string }> }>(read);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(await json(await api(h, a, `/v1/conversations/${conversation.id}`)))).not.toContain(
      'widget:',
    );
  });

  it('one widget user cannot read or write another’s conversation: the answer of a random id', async () => {
    const mine = await widgetConversation(h, a);
    const random = crypto.randomUUID();
    for (const intruder of [await widgetUserOf(a), undefined, 'wu_short']) {
      const headers: Record<string, string> = intruder ? { 'x-widget-user': intruder } : {};
      const theirs = await api(h, a, `/v1/conversations/${mine.id}`, { key: 'publishable', headers });
      const missing = await api(h, a, `/v1/conversations/${random}`, { key: 'publishable', headers });
      expect(await outcome(theirs)).toEqual(await outcome(missing));
      expect(theirs.status).toBe(404);
      const post = await ask({ id: mine.id, widgetUser: intruder ?? '' }, 'hello');
      expect(post.status).toBe(404);
    }
    // The server, with its secret key, reads every conversation of its tenant.
    expect((await api(h, a, `/v1/conversations/${mine.id}`)).status).toBe(200);
    const rows = await admin().query('select count(*)::int as n from messages where conversation_id = $1', [mine.id]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('refuses a malformed widget user id when starting a conversation', async () => {
    const res = await api(h, a, '/v1/conversations', {
      key: 'publishable',
      headers: { 'x-widget-user': 'me' },
      body: {},
    });
    expect(res.status).toBe(400);
  });

  it('answers through the configured model with the passages as numbered, delimited context', async () => {
    const prompts: Array<{ model: string; input: { messages: Array<{ role: string; content: string }> } }> = [];
    const ai = {
      run: async (model: string, input: { messages: Array<{ role: string; content: string }> }) => {
        prompts.push({ model, input });
        return { response: 'Within 30 days [1].' };
      },
    };
    const conversation = await widgetConversation(h, a);
    const res = await ask(conversation, 'How long for returns?', {
      CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct',
      AI: ai,
    });
    const body = await json<Answer>(res);
    expect(body).toMatchObject({ mode: 'generated', answer: { content: 'Within 30 days [1].' } });
    expect(body.citations[0]?.documentId).toBe(documentId);
    const context = prompts[0]?.input.messages.at(-1);
    expect(context?.role).toBe('user');
    expect(context?.content).toContain(`<passage id="1" title="Doc ${a.canary}">`);
  });

  it('fails closed when CHAT_MODEL is set without the AI binding', async () => {
    const conversation = await widgetConversation(h, a);
    const res = await ask(conversation, 'hello', { CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct' });
    expect(await outcome(res)).toMatchObject({ status: 500, code: 'misconfigured' });
  });

  it('logs each retrieval with the conversation and the chunk ids it returned', async () => {
    const conversation = await widgetConversation(h, a);
    await ask(conversation, 'returns within 30 days');
    const rows = await admin().query('select results from retrievals where tenant_id = $1 and conversation_id = $2', [
      a.id,
      conversation.id,
    ]);
    const results = (rows[0] as { results: Array<{ chunkId: string; score: number }> }).results;
    expect(results.length).toBeGreaterThan(0);
    const chunk = await admin().query('select document_id from chunks where id = $1', [results[0]?.chunkId]);
    expect(chunk[0]).toEqual({ document_id: documentId });
  });
});
