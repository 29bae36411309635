// Retrieval drops matches that score below the tenant's `limits.minRetrievalScore` (registry;
// default DEFAULT_MIN_RETRIEVAL_SCORE), so an unrelated question retrieves nothing and a
// retrieval-only answer says that nothing relevant was found, citing nothing; a relevant question
// still finds its passage. The documents hold no random canary, so every score here is fixed (the
// local lexical embedder is deterministic) and the test cannot flake on a hash collision.
import { beforeAll, describe, expect, it } from 'vitest';
import { RETRIEVAL_ONLY_NOTHING, RETRIEVAL_ONLY_PREFIX } from '../../../src/services/conversations/compose-answer.ts';
import { DEFAULT_MIN_RETRIEVAL_SCORE } from '../../../src/tenancy/context.ts';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation, withTenantSettings } from './resources.ts';

const RETURNS =
  'Returns: the shop accepts returns within 30 days of delivery. Refunds go back to the original payment method.';
const WARRANTY = 'Warranty: every device is covered for two years against manufacturing defects.';
// Scores with the local embedder against (RETURNS, WARRANTY): the penguin joke shares no word and
// scores below zero on both; quantum chromodynamics 0.060 and 0.044, near zero.
const UNRELATED = ['Tell me a joke about penguins', 'quantum chromodynamics gluon confinement'];
// 0.587 against RETURNS, 0.069 against WARRANTY.
const RELEVANT = 'returns within 30 days';

let h: Harness;
let a: TestTenant;
let returnsId: string;
/** The same tenant and keys behind apps whose registry sets its own minimum. */
const withMinimum = (minRetrievalScore: number): Harness =>
  withTenantSettings(h, (tenant) => (tenant.id === a.id ? { limits: { minRetrievalScore } } : {}));

interface Results {
  results: Array<{ documentId: string; score: number }>;
}

const query = async (harness: Harness, text: string) => {
  const res = await api(harness, a, '/v1/query', { body: { query: text, topK: 5, projectId: a.projectIds[0] } });
  expect(res.status).toBe(200);
  return (await json<Results>(res)).results;
};

beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
  returnsId = await ingestedDocument(h, a, RETURNS);
  await ingestedDocument(h, a, WARRANTY);
});

describe('minimum retrieval score', () => {
  it('an unrelated query retrieves no chunk', async () => {
    for (const text of UNRELATED) expect(await query(h, text)).toEqual([]);
  });

  it('a relevant query still finds its passage, and nothing below the minimum', async () => {
    const results = await query(h, RELEVANT);
    expect(results.map((r) => r.documentId)).toEqual([returnsId]);
    expect(results[0]?.score).toBeGreaterThanOrEqual(DEFAULT_MIN_RETRIEVAL_SCORE);
  });

  it('a retrieval-only answer to an unrelated question says nothing relevant was found and cites nothing', async () => {
    const conversation = await widgetConversation(h, a);
    const res = await api(h, a, `/v1/conversations/${conversation.id}/messages`, {
      key: 'publishable',
      headers: { 'x-widget-user': conversation.widgetUser },
      body: { content: UNRELATED[0] },
    });
    expect(res.status).toBe(201);
    const body = await json<{ mode: string; answer: { content: string }; citations: unknown[] }>(res);
    expect(body).toMatchObject({ mode: 'retrieval-only', answer: { content: RETRIEVAL_ONLY_NOTHING }, citations: [] });
    expect(body.answer.content).toMatch(/nothing relevant to this question was found/i);

    const relevant = await api(h, a, `/v1/conversations/${conversation.id}/messages`, {
      key: 'publishable',
      headers: { 'x-widget-user': conversation.widgetUser },
      body: { content: RELEVANT },
    });
    const answered = await json<{ answer: { content: string }; citations: Array<{ documentId: string }> }>(relevant);
    expect(answered.answer.content.startsWith(RETRIEVAL_ONLY_PREFIX)).toBe(true);
    expect(answered.citations.map((c) => c.documentId)).toEqual([returnsId]);
  });

  it('follows the tenant’s own setting: a higher minimum drops a weak match, -1 keeps everything', async () => {
    const strict = withMinimum(0.5);
    expect(await query(strict, 'How long do I have for returns?')).toEqual([]); // 0.202
    expect((await query(strict, RELEVANT)).map((r) => r.documentId)).toEqual([returnsId]);
    const everything = withMinimum(-1);
    expect(await query(everything, UNRELATED[0] as string)).toHaveLength(2);
  });
});
