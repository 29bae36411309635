// docs/threat-model.md T52: Idempotency-Key on the state-changing POSTs. A retry with the same key
// and body replays the first answer (Idempotent-Replayed: true) and does nothing twice; another body
// is 422; a key in progress is 409 with Retry-After; keys are per tenant and per principal (a widget
// user's keys are its own); a failed request gives its key up, so a retry runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotent } from '../../../src/http/idempotency.ts';
import { countAsAdmin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { widgetConversation } from './resources.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let probeCalls = 0;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
  // A probe behind the whole chain, added before the first request builds the router: its first
  // call fails with a 500 (an unexpected error), later calls succeed.
  h.app.post('/v1/idempotency-probe', idempotent(), (c) => {
    probeCalls += 1;
    if (probeCalls === 1) throw new Error('first call fails');
    return c.json({ calls: probeCalls }, 201);
  });
});

const key = () => `key-${crypto.randomUUID()}`;
const documentBody = (tenant: TestTenant, title = 'Idempotent') => ({
  title,
  filename: 'guide.txt',
  contentType: 'text/plain',
  sizeBytes: 10,
  projectId: tenant.projectIds[0],
});
const withKey = (value: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': value, ...extra });

async function answer(res: Response) {
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed'),
    body: (await res.json()) as { document?: { id: string }; widgetUser?: string },
  };
}

describe('Idempotency-Key (docs/threat-model.md T52)', () => {
  it('POST /v1/documents twice with one key and body: one document, the same answer, marked replayed', async () => {
    const before = await countAsAdmin('documents', a.id);
    const k = key();
    const first = await answer(await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey(k) }));
    const again = await answer(await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey(k) }));
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(await countAsAdmin('documents', a.id)).toBe(before + 1);
  });

  it('the same key with another body is 422 in the envelope, and nothing new is made', async () => {
    const k = key();
    const first = await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey(k) });
    expect(first.status).toBe(201);
    const before = await countAsAdmin('documents', a.id);
    const other = await api(h, a, '/v1/documents', { body: documentBody(a, 'Another'), headers: withKey(k) });
    expect(other.status).toBe(422);
    expect(await json(other)).toMatchObject({ error: { code: 'idempotency_conflict', requestId: expect.any(String) } });
    // Another path is another request too.
    const ingest = await api(h, a, '/v1/ingest', {
      body: { source: 'document', title: 'x', text: 'y', projectId: a.projectIds[0] },
      headers: withKey(k),
    });
    expect(ingest.status).toBe(422);
    expect(await countAsAdmin('documents', a.id)).toBe(before);
  });

  it("tenant B sending A's key gets its own fresh result", async () => {
    const k = key();
    const mine = await answer(await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey(k) }));
    const beforeB = await countAsAdmin('documents', b.id);
    const theirs = await answer(await api(h, b, '/v1/documents', { body: documentBody(b), headers: withKey(k) }));
    expect(theirs.status).toBe(201);
    expect(theirs.replayed).toBeNull();
    expect(theirs.body.document?.id).not.toBe(mine.body.document?.id);
    expect(await countAsAdmin('documents', b.id)).toBe(beforeB + 1);
    // Even with A's very body (A's project id), B gets no replay of A's answer.
    const copied = await api(h, b, '/v1/documents', { body: documentBody(a), headers: withKey(k) });
    expect(copied.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(await copied.json())).not.toContain(mine.body.document?.id);
  });

  it('concurrent duplicates: one does the work, the other is 409 with Retry-After or the replay', async () => {
    const before = await countAsAdmin('documents', a.id);
    const k = key();
    const send = () =>
      api(h, a, '/v1/ingest', {
        body: { source: 'document', title: 'Concurrent', text: `${a.canary} concurrent`, projectId: a.projectIds[0] },
        headers: withKey(k),
      });
    const results = await Promise.all([send(), send(), send()]);
    const outcomes = await Promise.all(results.map(async (res) => ({ res, body: await res.json() })));
    const done = outcomes.filter((o) => o.res.status === 201);
    expect(done.length).toBeGreaterThanOrEqual(1);
    for (const o of done) expect(o.body).toEqual(done[0]?.body);
    for (const o of outcomes.filter((o) => o.res.status !== 201)) {
      expect(o.res.status).toBe(409);
      expect(o.res.headers.get('retry-after')).toBe('1');
      expect(o.body).toMatchObject({ error: { code: 'conflict' } });
    }
    expect(done.filter((o) => o.res.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await countAsAdmin('documents', a.id)).toBe(before + 1);
    // Once the first has finished, a retry gets its answer.
    const retry = await send();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(done[0]?.body);
  });

  it('POST /v1/documents/{id}/complete: a 409 is not kept, so the retry after the upload runs, then replays', async () => {
    const created = await json<{ document: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      await api(h, a, '/v1/documents', { body: documentBody(a) }),
    );
    const { id } = created.document;
    const k = key();
    const complete = async () =>
      answer(await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST', headers: withKey(k) }));
    const early = await complete();
    expect(early).toMatchObject({ status: 409, replayed: null, body: { error: { code: 'conflict' } } }); // not uploaded
    const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: '0123456789' });
    expect(put.status).toBe(200);
    const first = await complete();
    expect(first).toMatchObject({ status: 202, replayed: null, body: { id, status: 'ready' } });
    const again = await complete();
    expect(again).toEqual({ ...first, replayed: 'true' });
  });

  it('a failed request (500) gives its key up: the retry runs the work', async () => {
    const k = key();
    const failed = await api(h, a, '/v1/idempotency-probe', { body: {}, headers: withKey(k) });
    expect(failed.status).toBe(500);
    const retry = await answer(await api(h, a, '/v1/idempotency-probe', { body: {}, headers: withKey(k) }));
    expect(retry).toEqual({ status: 201, replayed: null, body: { calls: 2 } });
    const replay = await answer(await api(h, a, '/v1/idempotency-probe', { body: {}, headers: withKey(k) }));
    expect(replay).toEqual({ status: 201, replayed: 'true', body: { calls: 2 } });
    expect(probeCalls).toBe(2);
  });

  it('a key that is not 1–255 visible ASCII characters is 400, before anything is made', async () => {
    const before = await countAsAdmin('documents', a.id);
    for (const bad of ['', 'has space', 'x'.repeat(256), 'caf\u00e9', 'tab\tkey']) {
      const res = await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: 'bad_request' } });
    }
    const longest = await api(h, a, '/v1/documents', { body: documentBody(a), headers: withKey('~'.repeat(255)) });
    expect(longest.status).toBe(201);
    expect(await countAsAdmin('documents', a.id)).toBe(before + 1);
  });

  it('widget messages: replayed for the same widget user; another widget user with the key gets its own', async () => {
    const mine = await widgetConversation(h, a);
    const theirs = await widgetConversation(h, a);
    const k = key();
    const post = (conversation: { id: string; widgetUser: string }) =>
      api(h, a, `/v1/conversations/${conversation.id}/messages`, {
        key: 'publishable',
        body: { content: `${a.canary} hello` },
        headers: withKey(k, { 'x-widget-user': conversation.widgetUser }),
      });
    const first = await answer(await post(mine));
    expect(first.status).toBe(201);
    const again = await answer(await post(mine));
    expect(again).toEqual({ ...first, replayed: 'true' });
    const other = await post(theirs);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.status).toBe(201);
    const conversation = await api(h, a, `/v1/conversations/${mine.id}`, {
      key: 'publishable',
      headers: { 'x-widget-user': mine.widgetUser },
    });
    const { messages } = await json<{ messages: unknown[] }>(conversation);
    expect(messages).toHaveLength(2); // one question, one answer: the replay added nothing
  });

  it('starting a conversation that issues a widget user token is never kept: the token stays out of the database', async () => {
    const k = key();
    const start = () => api(h, a, '/v1/conversations', { key: 'publishable', body: {}, headers: withKey(k) });
    const first = await answer(await start());
    const second = await answer(await start());
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.replayed).toBeNull();
    expect(second.body.widgetUser).not.toBe(first.body.widgetUser);
    // With a widget user, starting is replayed like any other POST.
    const headers = withKey(key(), { 'x-widget-user': first.body.widgetUser ?? '' });
    const one = await answer(await api(h, a, '/v1/conversations', { key: 'publishable', body: {}, headers }));
    const two = await answer(await api(h, a, '/v1/conversations', { key: 'publishable', body: {}, headers }));
    expect(one.status).toBe(201);
    expect(two).toEqual({ ...one, replayed: 'true' });
  });

  it('without a key nothing changes: two POSTs make two documents', async () => {
    const before = await countAsAdmin('documents', a.id);
    await api(h, a, '/v1/documents', { body: documentBody(a) });
    await api(h, a, '/v1/documents', { body: documentBody(a) });
    expect(await countAsAdmin('documents', a.id)).toBe(before + 2);
  });
});
