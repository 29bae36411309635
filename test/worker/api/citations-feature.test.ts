// The tenant's `citations` feature flag: on, answers carry the citation list (built from the
// retrieved chunks) and number their passages; off, an answer carries no citations at all: no
// list, no passage numbers or titles in a retrieval-only answer, no request to the model to cite
// and no citation markers left in what it wrote.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation, withFeatures } from './resources.ts';

let on: Harness;
let off: Harness;
let a: TestTenant;
let documentId: string;
beforeAll(async () => {
  on = await createHarness(1);
  a = on.tenants[0] as TestTenant;
  off = withFeatures(on, a, { citations: false });
  documentId = await ingestedDocument(on, a, `Returns: the ${a.canary} shop accepts returns within 30 days.`);
});

interface Answer {
  mode: string;
  answer: { content: string };
  citations: Array<{ number: number; documentId: string }>;
}

const prompts: Array<Array<{ role: string; content: string }>> = [];
const MODEL = {
  CHAT_MODEL: '@cf/meta/llama-3.1-8b-instruct',
  AI: {
    run: async (_model: string, input: { messages: Array<{ role: string; content: string }> }) => {
      prompts.push(input.messages);
      return { response: 'Within 30 days [1].' };
    },
  },
};

async function ask(h: Harness, bindings?: Record<string, unknown>) {
  const conversation = await widgetConversation(on, a);
  const res = await api(h, a, `/v1/conversations/${conversation.id}/messages`, {
    key: 'publishable',
    headers: { 'x-widget-user': conversation.widgetUser },
    body: { content: 'How long for returns?' },
    bindings,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Answer>(res);
}

describe('citations feature flag', () => {
  it('on: a retrieval-only answer numbers and titles its passages and lists them', async () => {
    const body = await ask(on);
    expect(body.answer.content).toContain(`[1] Doc ${a.canary}`);
    expect(body.citations).toEqual([expect.objectContaining({ number: 1, documentId })]);
  });

  it('off: a retrieval-only answer quotes the passages with no numbers, titles or citation list', async () => {
    const body = await ask(off);
    expect(body.mode).toBe('retrieval-only');
    expect(body.citations).toEqual([]);
    expect(body.answer.content).toContain(`the ${a.canary} shop accepts returns`);
    expect(body.answer.content).not.toContain('[1]');
    expect(body.answer.content).not.toContain(`Doc ${a.canary}`);
  });

  it('on: a generated answer keeps its markers and lists the retrieved chunks', async () => {
    const body = await ask(on, MODEL);
    expect(body).toMatchObject({ mode: 'generated', answer: { content: 'Within 30 days [1].' } });
    expect(body.citations).toEqual([expect.objectContaining({ number: 1, documentId })]);
  });

  it('off: the model is not asked to cite, its markers are dropped, and no citations are listed', async () => {
    prompts.length = 0;
    const body = await ask(off, MODEL);
    expect(body).toMatchObject({ mode: 'generated', answer: { content: 'Within 30 days.' }, citations: [] });
    const system = prompts[0]?.find((m) => m.role === 'system')?.content ?? '';
    expect(system).not.toBe('');
    expect(system).not.toMatch(/\bcite\b/i);
  });
});
