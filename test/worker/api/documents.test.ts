// The document lifecycle through the whole app: presigned upload, complete, status and progress,
// text ingestion with a source, pagination, download, 415, and delete leaving nothing behind.
// Completions that must not start a run are in document-completion.test.ts; content types, at
// creation and at complete, in document-content-types.test.ts.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { remainsOf } from './remains.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

interface DocumentBody {
  id: string;
  status: string;
  progress: { chunksDone: number; chunksTotal: number } | null;
  failureReason: string | null;
  source: string | null;
}

async function upload(contentType: string, content: string, filename = 'guide.md') {
  const size = new TextEncoder().encode(content).byteLength;
  const res = await api(h, a, '/v1/documents', {
    body: { title: 'Guide', filename, contentType, sizeBytes: size, projectId: a.projectIds[0] },
  });
  expect(res.status).toBe(201);
  const created = await json<{ document: DocumentBody; upload: { url: string; headers: Record<string, string> } }>(res);
  expect(created.document.status).toBe('awaiting_upload');
  // The signed URL necessarily names the caller's own key; the document itself carries no storage name.
  expect(JSON.stringify(created.document)).not.toMatch(/tenants\/|tenantId|objectKey|bucket/);
  expect(Object.keys(created.upload).sort()).toEqual(['expiresAt', 'headers', 'method', 'url']);
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: content });
  expect(put.status).toBe(200);
  return created.document.id;
}

const getDocument = async (id: string) => json<DocumentBody>(await api(h, a, `/v1/documents/${id}`));

describe('documents', () => {
  it('uploads, completes and becomes ready with progress; the text is retrievable', async () => {
    const id = await upload('text/markdown', `# Returns\n\nThe ${a.canary} policy allows returns within 30 days.`);
    const completed = await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
    expect(completed.status).toBe(202);
    expect(await json(completed)).toEqual({ id, status: 'ready', failureReason: null });
    expect(await getDocument(id)).toMatchObject({ status: 'ready', progress: { chunksDone: 1, chunksTotal: 1 } });
    const query = await api(h, a, '/v1/query', { body: { query: `${a.canary} returns`, topK: 3 }, key: 'secret' });
    expect(query.status).toBe(400); // two projects: the caller must say which
    const found = await api(h, a, '/v1/query', { body: { query: `${a.canary} returns`, projectId: a.projectIds[0] } });
    const { results } = await json<{ results: Array<{ documentId: string; text: string }> }>(found);
    expect(results[0]).toMatchObject({ documentId: id });
    expect(results[0]?.text).toContain(a.canary);
  });

  it('runs ingestion after the response when the Worker can wait: queued, then ready', async () => {
    const id = await upload('text/plain', 'Background ingestion works. '.repeat(200), 'notes.txt');
    const execution = createExecutionContext();
    const res = await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST', executionCtx: execution });
    expect(await json(res)).toEqual({ id, status: 'queued', failureReason: null });
    await waitOnExecutionContext(execution);
    const done = await getDocument(id);
    expect(done.status).toBe('ready');
    expect(done.progress?.chunksTotal).toBeGreaterThan(1);
  });

  it('refuses an unsupported type at creation with 415 listing the supported ones', async () => {
    const res = await api(h, a, '/v1/documents', {
      body: { title: 'Manual', filename: 'manual.pdf', contentType: 'application/pdf', sizeBytes: 19 },
    });
    expect(res.status).toBe(415);
    const { error } = await json<{ error: { code: string; message: string } }>(res);
    expect(error.code).toBe('unsupported_media_type');
    expect(error.message).toContain('text/plain, text/markdown, text/html, application/json');
  });

  it('ingests raw text with its source, idempotently by externalId', async () => {
    const body = {
      source: 'slack',
      title: 'Thread',
      text: `Deploys happen on ${a.canary} Tuesdays.`,
      externalId: 'C1/123',
      projectId: a.projectIds[1],
      sourceMetadata: { channel: 'C1' },
    };
    const first = await json<{ id: string; status: string }>(await api(h, a, '/v1/ingest', { body }));
    expect(first.status).toBe('ready');
    const again = await json<{ id: string }>(
      await api(h, a, '/v1/ingest', { body: { ...body, text: 'Deploys happen on Fridays now.' } }),
    );
    expect(again.id).toBe(first.id);
    expect(await getDocument(first.id)).toMatchObject({
      source: 'slack',
      status: 'ready',
      progress: { chunksTotal: 1 },
    });
    expect((await remainsOf(a, first.id)).chunks).toBe(1);
  });

  it('lists newest first with a cursor, every document exactly once', async () => {
    const project = a.projectIds[1];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api(h, a, '/v1/ingest', {
        body: { source: 'web', title: `Page ${i}`, text: `page ${i}`, projectId: project },
      });
      ids.push((await json<{ id: string }>(res)).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?projectId=${project}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await json<{ documents: DocumentBody[]; nextCursor: string | null }>(
        await api(h, a, `/v1/documents${query}`),
      );
      expect(page.documents.length).toBeLessThanOrEqual(2);
      seen.push(...page.documents.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect((await api(h, a, '/v1/documents?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('presigns a download that returns the uploaded bytes', async () => {
    const id = await upload('text/plain', 'download me', 'dl.txt');
    const { url } = await json<{ url: string }>(await api(h, a, `/v1/documents/${id}/download`));
    expect(await (await fetch(url)).text()).toBe('download me');
  });

  it('DELETE leaves zero rows, zero vectors and no object, and is idempotent', async () => {
    const id = await upload('text/markdown', `# Gone\n\n${'To be deleted. '.repeat(300)}`, 'gone.md');
    await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
    const before = await remainsOf(a, id);
    // Every store holds the document before the delete: one row, its chunks, one vector each, the upload.
    expect(before.documents).toBe(1);
    expect(before.chunks).toBeGreaterThan(1);
    expect(before.vectors).toBe(before.chunks);
    expect(before.objects).toBe(1);
    expect((await api(h, a, `/v1/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await remainsOf(a, id)).toEqual({ documents: 0, chunks: 0, vectors: 0, objects: 0 });
    expect((await api(h, a, `/v1/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(h, a, `/v1/documents/${id}`)).status).toBe(404);
  });

  it('refuses mass assignment and oversized values with 400', async () => {
    const base = { title: 'x', filename: 'x.txt', contentType: 'text/plain', sizeBytes: 5, projectId: a.projectIds[0] };
    for (const extra of [{ tenantId: crypto.randomUUID() }, { objectKey: 'tenants/x/y' }, { namespace: 'other' }]) {
      expect((await api(h, a, '/v1/documents', { body: { ...base, ...extra } })).status).toBe(400);
    }
    expect((await api(h, a, '/v1/documents', { body: { ...base, sizeBytes: 3_000_000 } })).status).toBe(400);
    expect((await api(h, a, '/v1/documents', { body: { ...base, filename: '../x.txt' } })).status).toBe(400);
    expect((await api(h, a, '/v1/documents?limit=1000')).status).toBe(400);
    expect((await api(h, a, '/v1/query', { body: { query: 'q', topK: 50, projectId: a.projectIds[0] } })).status).toBe(
      400,
    );
    // A project that is not the tenant's is missing, not an empty result.
    const unknownProject = { query: 'q', projectId: crypto.randomUUID() };
    expect((await api(h, a, '/v1/query', { body: unknownProject })).status).toBe(404);
  });
});
