// Every string a request body carries into Postgres is checked before Postgres sees it: a NUL
// character (text and jsonb refuse U+0000) or an unpaired surrogate (jsonb refuses it, text would
// store U+FFFD instead) is the envelope's 400 naming the field, never a 500 from the statement.
// An uploaded file whose text holds NUL fails its ingestion with a reason the customer can act on.
// Numbers are bounded the same way: none a column or jsonb could not hold gets past validation.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { ingestedDocument, uploadedDocument, widgetConversation } from './resources.ts';

let h: Harness;
let a: TestTenant;
let conversation: { id: string; widgetUser: string };
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
  await ingestedDocument(h, a);
  conversation = await widgetConversation(h, a);
});

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';

describe('strings Postgres cannot store', () => {
  const project = () => a.projectIds[0];
  const cases: Array<[string, string, (bad: string) => Record<string, unknown>, string]> = [
    [
      '/v1/documents',
      'title',
      (bad) => ({ title: bad, filename: 'x.txt', contentType: 'text/plain', sizeBytes: 5, projectId: project() }),
      'title',
    ],
    [
      '/v1/documents',
      'externalId',
      (bad) => ({
        title: 'x',
        filename: 'x.txt',
        contentType: 'text/plain',
        sizeBytes: 5,
        externalId: bad,
        projectId: project(),
      }),
      'externalId',
    ],
    ['/v1/ingest', 'text', (bad) => ({ source: 'web', title: 'x', text: bad, projectId: project() }), 'text'],
    ['/v1/ingest', 'title', (bad) => ({ source: 'web', title: bad, text: 'x', projectId: project() }), 'title'],
    [
      '/v1/ingest',
      'externalId',
      (bad) => ({ source: 'web', title: 'x', text: 'x', externalId: bad, projectId: project() }),
      'externalId',
    ],
    [
      '/v1/ingest',
      'a sourceMetadata value',
      (bad) => ({ source: 'web', title: 'x', text: 'x', projectId: project(), sourceMetadata: { channel: bad } }),
      'sourceMetadata.channel',
    ],
    [
      '/v1/ingest',
      'a sourceMetadata key',
      (bad) => ({ source: 'web', title: 'x', text: 'x', projectId: project(), sourceMetadata: { [bad]: 'x' } }),
      'sourceMetadata',
    ],
    ['/v1/query', 'query', (bad) => ({ query: bad, projectId: project() }), 'query'],
    ['/v1/conversations', 'title', (bad) => ({ title: bad, projectId: project() }), 'title'],
  ];

  for (const [path, field, body, named] of cases) {
    for (const [what, bad] of [
      ['NUL', NUL],
      ['an unpaired surrogate', LONE_SURROGATE],
    ] as const) {
      it(`POST ${path} with ${what} in ${field}: 400 naming ${named}`, async () => {
        const res = await api(h, a, path, { body: body(bad) });
        const answer = await outcome(res);
        expect(answer).toMatchObject({ status: 400, code: 'bad_request' });
        expect(answer.message).toContain(`${named}:`);
      });
    }
  }

  it('a message with NUL or an unpaired surrogate is a 400, and nothing is stored', async () => {
    for (const bad of [NUL, LONE_SURROGATE]) {
      const res = await api(h, a, `/v1/conversations/${conversation.id}/messages`, {
        key: 'publishable',
        headers: { 'x-widget-user': conversation.widgetUser },
        body: { content: bad },
      });
      expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
    }
    const read = await api(h, a, `/v1/conversations/${conversation.id}`);
    expect((await json<{ messages: unknown[] }>(read)).messages).toEqual([]);
  });

  it('the same fields with ordinary text (any script, emoji) still work', async () => {
    const text = 'Grüße, 你好, 👋 — fine';
    const res = await api(h, a, '/v1/ingest', {
      body: { source: 'web', title: text, text, projectId: project(), sourceMetadata: { [text]: text } },
    });
    expect(res.status).toBe(201);
    expect((await api(h, a, '/v1/query', { body: { query: text, projectId: project() } })).status).toBe(200);
  });

  it('an uploaded file whose text holds NUL fails its ingestion with that reason, not an internal error', async () => {
    const id = await uploadedDocument(h, a, `${a.canary}\u0000 in a file.`);
    const res = await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ id, status: 'failed', failureReason: expect.stringContaining('NUL') });
  });
});

describe('numbers beyond what Postgres holds', () => {
  it('sizeBytes past the safe integers, limit and topK past their bounds: 400', async () => {
    const base = { title: 'x', filename: 'x.txt', contentType: 'text/plain', projectId: a.projectIds[0] };
    for (const sizeBytes of [2 ** 53, 2 ** 63, 1.5, -1, 0]) {
      const res = await api(h, a, '/v1/documents', { body: { ...base, sizeBytes } });
      expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
    }
    for (const limit of ['99999999999999999999', '2147483648', '-1', '1.5', 'NaN', 'Infinity']) {
      const res = await api(h, a, `/v1/documents?limit=${limit}`);
      expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
    }
    for (const topK of [2 ** 31, 2 ** 53, 1.5]) {
      const res = await api(h, a, '/v1/query', { body: { query: 'q', topK, projectId: a.projectIds[0] } });
      expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
    }
  });

  it('a sourceMetadata number JSON overflows to Infinity: 400, not a jsonb error', async () => {
    const body = `{"source":"web","title":"x","text":"x","projectId":"${a.projectIds[0]}","sourceMetadata":{"n":1e400}}`;
    const res = await h.app.request(
      `https://${env.API_HOST}/v1/ingest`,
      { method: 'POST', headers: { 'x-api-key': a.keys.secret, 'content-type': 'application/json' }, body },
      env,
    );
    expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
  });
});
