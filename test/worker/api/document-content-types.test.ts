// POST /v1/documents refuses a content type ingestion cannot read, before any row or upload URL
// exists: 415 `unsupported_media_type` listing the supported types (src/text/content-types.ts, the
// one list). A row with such a type from before that check is still refused at complete time.
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_CONTENT_TYPES } from '../../../src/text/content-types.ts';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

const documentCount = async () =>
  ((await admin().query('select count(*)::int as n from documents where tenant_id = $1', [a.id]))[0] as { n: number })
    .n;

const create = (contentType: string, filename = 'file.bin') =>
  api(h, a, '/v1/documents', {
    body: { title: 'File', filename, contentType, sizeBytes: 10, projectId: a.projectIds[0] },
  });

describe('document content types', () => {
  for (const contentType of ['application/pdf', 'image/png', 'application/octet-stream', 'text/csv']) {
    it(`refuses ${contentType} at creation with 415 listing the supported types, creating nothing`, async () => {
      const before = await documentCount();
      const res = await create(contentType);
      const answer = await outcome(res);
      expect(answer).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(answer.message).toContain(SUPPORTED_CONTENT_TYPES.join(', '));
      expect(await documentCount()).toBe(before);
    });
  }

  it('accepts every supported type, in any case, with an upload URL', async () => {
    for (const contentType of [...SUPPORTED_CONTENT_TYPES, 'Text/Markdown', 'TEXT/PLAIN']) {
      const res = await create(contentType, 'file.txt');
      expect(res.status, contentType).toBe(201);
      expect((await json<{ upload: { url: string } }>(res)).upload.url).toMatch(/^https?:\/\//);
    }
  });

  it('a row with an unsupported type from before the check is refused at complete and marked failed', async () => {
    const id = crypto.randomUUID();
    await admin().query(
      `insert into documents (tenant_id, project_id, id, title, content_type, size_bytes)
       values ($1, $2, $3, 'Legacy', 'application/pdf', 10)`,
      [a.id, a.projectIds[0], id],
    );
    const res = await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
    const answer = await outcome(res);
    expect(answer).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(answer.message).toContain(SUPPORTED_CONTENT_TYPES.join(', '));
    expect(await json(await api(h, a, `/v1/documents/${id}`))).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('text/html'),
    });
  });
});
