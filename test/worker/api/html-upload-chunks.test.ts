// docs/threat-model.md T50 through the API: an uploaded HTML page is parsed by a real HTML parser,
// so its chunks hold what a reader sees. An escaped `<script>` in the page is the literal text
// `<script>` in a chunk (chunk text is untrusted text, shown as text, never rendered as HTML), and
// a real script's body, even one ended by `</script foo>`, is in no chunk.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

async function uploadHtml(html: string) {
  const res = await api(h, a, '/v1/documents', {
    body: {
      title: 'Page',
      filename: 'page.html',
      contentType: 'text/html',
      sizeBytes: new TextEncoder().encode(html).byteLength,
      projectId: a.projectIds[0],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = await json<{ document: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
    res,
  );
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: html });
  expect(put.status).toBe(200);
  return created.document.id;
}

describe('HTML uploads', () => {
  it('chunks hold the text a reader sees: escaped markup as literal text, no script body', async () => {
    const html =
      `<!doctype html><html><head><title>Help</title><script>var secret = "${a.canary}-script";</script></head>` +
      '<body><h1>Embedding</h1><p>Never paste &lt;script&gt;alert(1)&lt;/script&gt; into the page.</p>' +
      `<script>var token = "${a.canary}-token";</script foo><p>Ask support instead.</p></body></html>`;
    const id = await uploadHtml(html);
    const completed = await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
    expect(completed.status, await completed.clone().text()).toBeLessThan(300);
    expect(await json(await api(h, a, `/v1/documents/${id}`))).toMatchObject({ status: 'ready' });
    const rows = (await admin().query('select content from chunks where document_id = $1 order by chunk_index', [
      id,
    ])) as Array<{ content: string }>;
    const text = rows.map((row) => row.content).join('\n');
    expect(text).toBe('Embedding\n\nNever paste <script>alert(1)</script> into the page.\n\nAsk support instead.');
    expect(text).not.toContain(a.canary);
  });
});
