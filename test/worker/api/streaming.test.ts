// Streamed answers (POST /v1/conversations/{id}/messages with Accept: text/event-stream): events in
// order, deltas that add up to the stored answer, a `done` event with the stored ids and citations
// of the tenant's own document; the `streaming` flag honoured both ways; another widget user and
// another tenant get the JSON 404 and no stream; a model's tokens streamed as they come.
import { beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NOT_IDEMPOTENT, STREAMING_DISABLED } from '../../../src/routes/v1/conversation-stream.ts';
import { RETRIEVAL_ONLY_NOTHING, RETRIEVAL_ONLY_PREFIX } from '../../../src/services/conversations/compose-answer.ts';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation, withTenantSettings } from './resources.ts';

let h: Harness;
let streaming: Harness;
let a: TestTenant;
let b: TestTenant;
let empty: TestTenant;
let documentId: string;
beforeAll(async () => {
  h = await createHarness(3);
  [a, b, empty] = h.tenants as [TestTenant, TestTenant, TestTenant];
  streaming = withTenantSettings(h, () => ({ features: { streaming: true } }));
  documentId = await ingestedDocument(h, a, `Returns: the ${a.canary} shop accepts returns within 30 days.`);
  await ingestedDocument(h, b, `Returns: the ${b.canary} shop accepts returns within 90 days.`);
});

interface StreamEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

/** Parses a text/event-stream body (the whole of it) into its events. */
function parseEvents(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const fields = new Map<string, string[]>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon);
        fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).replace(/^ /, '')]);
      }
      return {
        event: fields.get('event')?.[0] ?? 'message',
        id: fields.get('id')?.[0] ?? '',
        data: JSON.parse((fields.get('data') ?? []).join('\n')),
      };
    });
}

const ask = (
  harness: Harness,
  tenant: TestTenant,
  conversation: { id: string; widgetUser: string },
  accept: string,
  extra: { headers?: Record<string, string>; bindings?: Record<string, unknown> } = {},
) =>
  api(harness, tenant, `/v1/conversations/${conversation.id}/messages`, {
    key: 'publishable',
    headers: { 'x-widget-user': conversation.widgetUser, accept, ...extra.headers },
    body: { content: 'How long do I have for returns?' },
    bindings: extra.bindings,
  });

const messageCount = async (conversationId: string) =>
  (
    (
      await admin().query('select count(*)::int as n from messages where conversation_id = $1', [conversationId])
    )[0] as {
      n: number;
    }
  ).n;

describe('streamed answers', () => {
  it('streams start, deltas and done; the deltas are the stored answer; citations are the tenant’s', async () => {
    const conversation = await widgetConversation(h, a);
    const res = await ask(streaming, a, conversation, 'text/event-stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('access-control-allow-origin')).toBe(a.origin);
    const events = parseEvents(await res.text());
    expect(events.map((e) => e.event)).toEqual(['start', ...events.slice(1, -1).map(() => 'delta'), 'done']);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i)));
    expect(events.length).toBeGreaterThan(2);
    expect(events[0]?.data).toEqual({ conversationId: conversation.id, mode: 'retrieval-only' });
    const streamed = events
      .filter((e) => e.event === 'delta')
      .map((e) => e.data.text)
      .join('');
    const done = events.at(-1)?.data as {
      answer: { id: string; content: string };
      question: { id: string };
      citations: Array<{ documentId: string; title: string; snippet: string }>;
    };
    expect(streamed).toBe(done.answer.content);
    expect(streamed.startsWith(RETRIEVAL_ONLY_PREFIX)).toBe(true);
    expect(done.citations[0]).toMatchObject({ documentId, title: `Doc ${a.canary}` });
    expect(done.citations[0]?.snippet).toContain(a.canary);
    expect(events.at(-1)?.data.passages).toBe(1);
    expect(JSON.stringify(events)).not.toContain(b.canary);

    const read = await api(h, a, `/v1/conversations/${conversation.id}`, {
      key: 'publishable',
      headers: { 'x-widget-user': conversation.widgetUser },
    });
    const { messages } = await json<{ messages: Array<{ id: string; content: string }> }>(read);
    expect(messages.map((m) => m.id)).toEqual([done.question.id, done.answer.id]);
    expect(messages[1]?.content).toBe(streamed);
  });

  it('a tenant with no documents yet: done says passages 0 and the plain nothing-found answer', async () => {
    const conversation = await widgetConversation(h, empty);
    const events = parseEvents(await (await ask(streaming, empty, conversation, 'text/event-stream')).text());
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { passages: 0, citations: [], answer: { content: RETRIEVAL_ONLY_NOTHING } },
    });
  });

  it('streaming off: the JSON answer when JSON is acceptable too, else 403 feature_disabled, audited', async () => {
    const conversation = await widgetConversation(h, a);
    const both = await ask(h, a, conversation, 'text/event-stream, application/json;q=0.5');
    expect(both.status).toBe(201);
    expect(both.headers.get('content-type')).toMatch(/^application\/json/);
    const only = await ask(h, a, conversation, 'text/event-stream');
    expect(await outcome(only)).toEqual({ status: 403, code: 'feature_disabled', message: STREAMING_DISABLED });
    const denied = await admin().query(
      `select detail->>'requiredFeature' as required from audit_events
       where action = 'access.denied' and detail->>'requestId' = $1`,
      [only.headers.get('x-request-id')],
    );
    expect(denied).toEqual([{ required: 'streaming' }]);
    expect(await messageCount(conversation.id)).toBe(2);
  });

  it('another widget user and another tenant get the JSON 404, no stream, nothing stored', async () => {
    const conversation = await widgetConversation(h, a);
    const otherUser = await widgetConversation(h, a);
    const random = await ask(
      streaming,
      a,
      { id: crypto.randomUUID(), widgetUser: conversation.widgetUser },
      'text/event-stream',
    );
    const stranger = await ask(
      streaming,
      a,
      { id: conversation.id, widgetUser: otherUser.widgetUser },
      'text/event-stream',
    );
    const tenantB = await ask(streaming, b, conversation, 'text/event-stream');
    const expected = await outcome(random);
    expect(expected).toMatchObject({ status: 404, code: 'not_found' });
    for (const res of [stranger, tenantB]) {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await outcome(res)).toEqual(expected);
    }
    expect(await messageCount(conversation.id)).toBe(0);
  });

  it('refuses Idempotency-Key on a streamed answer (a stream cannot be replayed)', async () => {
    const conversation = await widgetConversation(h, a);
    const res = await ask(streaming, a, conversation, 'text/event-stream', { headers: { 'idempotency-key': 'k-1' } });
    expect(await outcome(res)).toEqual({ status: 400, code: 'bad_request', message: STREAM_NOT_IDEMPOTENT });
    expect(await messageCount(conversation.id)).toBe(0);
  });

  it('streams a model’s tokens as they come and stores the answer with unknown markers dropped', async () => {
    const conversation = await widgetConversation(h, a);
    const tokens = ['Within', ' 30 days', ' [1]', ' [9]', '.'];
    const ai = {
      async run(_model: string, input: { stream?: boolean }) {
        expect(input.stream).toBe(true);
        const body = `${tokens.map((t) => `data: ${JSON.stringify({ response: t })}\n\n`).join('')}data: [DONE]\n\n`;
        return new Response(body).body;
      },
    };
    const res = await ask(streaming, a, conversation, 'text/event-stream', {
      bindings: { CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct', AI: ai },
    });
    const events = parseEvents(await res.text());
    expect(events[0]?.data).toMatchObject({ mode: 'generated' });
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text)).toEqual(tokens);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { answer: { content: 'Within 30 days [1].' } } });
  });

  it('a visitor who hangs up after the first event still gets the answer stored (waitUntil)', async () => {
    const conversation = await widgetConversation(h, a);
    const kept: Promise<unknown>[] = [];
    const executionCtx = {
      waitUntil: (promise: Promise<unknown>) => void kept.push(promise),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext;
    const res = await api(streaming, a, `/v1/conversations/${conversation.id}/messages`, {
      key: 'publishable',
      headers: { 'x-widget-user': conversation.widgetUser, accept: 'text/event-stream' },
      body: { content: 'How long do I have for returns?' },
      executionCtx,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: start');
    await reader.cancel();
    await Promise.all(kept);
    expect(await messageCount(conversation.id)).toBe(2);
  });

  it('a model failing mid-answer ends the stream with an error event and stores nothing', async () => {
    const conversation = await widgetConversation(h, a);
    const ai = {
      async run() {
        let sent = false;
        return new ReadableStream({
          pull(controller) {
            if (sent) return controller.error(new Error('model went away'));
            sent = true;
            controller.enqueue(new TextEncoder().encode('data: {"response":"Partial"}\n\n'));
          },
        });
      },
    };
    const res = await ask(streaming, a, conversation, 'text/event-stream', {
      bindings: { CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct', AI: ai },
    });
    const events = parseEvents(await res.text());
    expect(events.map((e) => e.event)).toEqual(['start', 'delta', 'error']);
    expect(events.at(-1)?.data).toMatchObject({ error: { code: 'internal_error' } });
    expect(JSON.stringify(events)).not.toContain('model went away');
    expect(await messageCount(conversation.id)).toBe(0);
  });
});
