// Re-ingesting an externalId while that document is being deleted: whichever wins, the caller gets
// an answer in the envelope — the re-ingest (201), 404 (deleted while it ran) or 409 (deleted
// between the clash and the requeue) — never a 500; and the delete still leaves nothing behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { remainsOf } from './remains.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

const ROUNDS = 20;

describe('POST /v1/ingest with an externalId whose document is being deleted', () => {
  it('answers 201, 404 or 409 in the envelope, never 500', async () => {
    const seen = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const body = {
        source: 'slack',
        title: 'Thread',
        text: `Round ${round}: ${'the thread goes on. '.repeat(40)}`,
        externalId: `thread-${crypto.randomUUID()}`,
        projectId: a.projectIds[0],
      };
      const first = await api(h, a, '/v1/ingest', { body });
      expect(first.status, await first.clone().text()).toBe(201);
      const { id } = await json<{ id: string }>(first);

      const [again, deleted] = await Promise.all([
        api(h, a, '/v1/ingest', { body: { ...body, text: `${body.text} Edited.` } }),
        api(h, a, `/v1/documents/${id}`, { method: 'DELETE' }),
      ]);
      expect(deleted.status).toBe(204);
      seen.set(again.status, (seen.get(again.status) ?? 0) + 1);
      if (again.status === 201) {
        expect(await json(again)).toMatchObject({ status: 'ready' });
      } else {
        const answer = await outcome(again);
        expect(answer, JSON.stringify(answer)).toMatchObject({
          status: expect.toBeOneOf([404, 409]),
          code: expect.toBeOneOf(['not_found', 'conflict']),
          message: expect.any(String),
        });
        expect(answer.code).toBe(answer.status === 404 ? 'not_found' : 'conflict');
      }
      // The re-ingest may have made a new document under the same externalId; the old one is gone.
      expect(await remainsOf(a, id)).toEqual({ documents: 0, chunks: 0, vectors: 0, objects: 0 });
    }
    expect(
      [...seen.keys()].every((status) => [201, 404, 409].includes(status)),
      JSON.stringify([...seen]),
    ).toBe(true);
  }, 60_000);
});
