// A presigned upload URL cannot be revoked: it stays valid for its few minutes even after the
// document is deleted. Erasure therefore never depends on the row: DELETE sweeps the document's own
// object prefix (derived from the tenant and the document id), and so does a DELETE that finds no
// row, so an object written through the old URL after the delete can still be removed by the API.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { remainsOf } from './remains.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

const content = 'A late upload that must not outlive its document.';

async function createdDocument(tenant: TestTenant, projectId: string) {
  const res = await api(h, tenant, '/v1/documents', {
    body: {
      title: 'Late',
      filename: 'late.txt',
      contentType: 'text/plain',
      sizeBytes: new TextEncoder().encode(content).byteLength,
      projectId,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<{ document: { id: string }; upload: { url: string; headers: Record<string, string> } }>(res);
}

const put = (upload: { url: string; headers: Record<string, string> }) =>
  fetch(upload.url, { method: 'PUT', headers: upload.headers, body: content });

describe('an upload that arrives after its document was deleted', () => {
  it('is removed by the next DELETE of the same id, though no row is left', async () => {
    const { document, upload } = await createdDocument(a, a.projectIds[1]);
    expect((await api(h, a, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);

    // The store honours the signature: the URL outlived the row.
    const late = await put(upload);
    expect(late.status).toBe(200);
    await late.body?.cancel();
    expect(await remainsOf(a, document.id)).toMatchObject({ documents: 0, objects: 1 });

    expect((await api(h, a, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await remainsOf(a, document.id)).toEqual({ documents: 0, chunks: 0, vectors: 0, objects: 0 });
  });

  it('is removed after an upload, a delete and a second upload through the same URL', async () => {
    // Uploaded, then deleted, then uploaded again through the same URL: one more DELETE clears it.
    const { document, upload } = await createdDocument(a, a.projectIds[0]);
    (await put(upload)).body?.cancel();
    expect((await api(h, a, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);
    (await put(upload)).body?.cancel();
    expect((await api(h, a, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await remainsOf(a, document.id)).objects).toBe(0);
  });

  it('another tenant’s DELETE of that id removes nothing of this tenant’s', async () => {
    const { document, upload } = await createdDocument(a, a.projectIds[0]);
    (await put(upload)).body?.cancel();
    expect((await api(h, b, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await remainsOf(a, document.id)).toMatchObject({ documents: 1, objects: 1 });
    expect((await api(h, a, `/v1/documents/${document.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await remainsOf(a, document.id)).objects).toBe(0);
  });
});
