// docs/threat-model.md T50, per-document limits: a document may yield at most twice the tenant's
// `maxUploadBytes` in characters of text, and at most twice as many chunks as that much text fills
// at the chunk size (src/text/document-limits.ts). An upload past either ends `failed` with a reason
// naming the limit and stores nothing; raw text past one is a 413 naming it, before any write. A
// JSON document of many values under a long path chunks about like plain text of its size.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../../src/services/documents/create-document.ts';
import { completeDocument } from '../../../src/services/ingestion/complete-document.ts';
import { ingestText } from '../../../src/services/ingestion/ingest-text.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { type ChunkOptions, chunkText } from '../../../src/text/chunk-text.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { type RecordingDeps, recordingDeps } from './service-deps.ts';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant(1);
});

/** The fixture tenant with uploads on and this upload limit. */
const withUploadLimit = (maxUploadBytes: number): TenantContext => ({
  ...t.ctx,
  features: { ...t.ctx.features, uploads: true },
  limits: { ...t.ctx.limits, maxUploadBytes },
});

async function upload(ctx: TenantContext, recording: RecordingDeps, contentType: string, content: string) {
  const created = await createDocument({
    ctx,
    deps: recording.deps,
    input: {
      title: 'Upload',
      filename: 'upload.bin',
      contentType,
      sizeBytes: new TextEncoder().encode(content).byteLength,
      projectId: t.projectIds[0],
    },
  });
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: content });
  expect(put.status).toBe(200);
  return created.document.id;
}

const complete = (ctx: TenantContext, recording: RecordingDeps, documentId: string) =>
  completeDocument({ ctx, deps: recording.deps, input: { documentId } });

const storedChunks = async (documentId: string) =>
  (
    (await admin().query('select count(*)::int as n from chunks where document_id = $1', [documentId]))[0] as {
      n: number;
    }
  ).n;
const documentCount = async () =>
  (
    (await admin().query('select count(*)::int as n from documents where tenant_id = $1', [t.tenantId]))[0] as {
      n: number;
    }
  ).n;
const upserts = (recording: RecordingDeps) => recording.pinecone.filter((r) => r.url.endsWith('/vectors/upsert'));

// Chunks that end just past half their size and start again just before that: with a chunk of 50
// characters and an overlap of 24, about one chunk per 10 characters, more than the chunk limit.
const DENSE = '. bbbbb. bbbbb. bbbbb\n# a\n# aa\n\na\n. aa\n. ';
const dense = (length: number) => DENSE.repeat(Math.ceil(length / DENSE.length)).slice(0, length);
const DENSE_CHUNKING: ChunkOptions = { size: 50, overlap: 24 };

describe('per-document limits', { timeout: 60_000 }, () => {
  it('an upload whose text passes twice the upload limit ends failed, naming the limit, with nothing stored', async () => {
    const ctx = withUploadLimit(60_000);
    const recording = recordingDeps();
    // Short strings four levels down: each becomes an indented "- x" line, three times its bytes.
    const json = JSON.stringify({ a: { b: { c: { d: Array(14_000).fill('x') } } } });
    expect(json.length).toBeLessThan(60_000);
    const id = await upload(ctx, recording, 'application/json', json);
    const result = await complete(ctx, recording, id);
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('longer than 120000 characters');
    expect(result.failureReason).toContain('upload limit of 60000 bytes');
    expect(await storedChunks(id)).toBe(0);
    expect(upserts(recording)).toHaveLength(0);
  });

  it('an upload that makes more chunks than the limit ends failed, naming the limit, with nothing stored', async () => {
    const ctx = withUploadLimit(20_000);
    const recording = recordingDeps({ chunking: DENSE_CHUNKING });
    expect(chunkText(dense(20_000), DENSE_CHUNKING).length).toBeGreaterThan(1600);
    const id = await upload(ctx, recording, 'text/markdown', dense(20_000));
    const result = await complete(ctx, recording, id);
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('more than 1600 chunks');
    expect(await storedChunks(id)).toBe(0);
    expect(upserts(recording)).toHaveLength(0);
  });

  it('raw text that makes more chunks than the limit: 413 naming the limit, before any write', async () => {
    const ctx = withUploadLimit(20_000);
    const recording = recordingDeps({ chunking: DENSE_CHUNKING });
    const before = await documentCount();
    const call = ingestText({
      ctx,
      deps: recording.deps,
      input: { projectId: t.projectIds[0], source: 'document', title: 'Dense', text: dense(20_000) },
    });
    await expect(call).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('more than 1600 chunks'),
    });
    expect(await documentCount()).toBe(before);
    expect(recording.pinecone).toHaveLength(0);
  });

  it('2,000 nested keys × 1,000 zeros: ready, with about as many chunks as plain text of its size', async () => {
    const chunking: ChunkOptions = { size: 1000, overlap: 150 };
    const recording = recordingDeps({ chunking });
    const keys = Array.from({ length: 2000 }, (_, i) => `key${i}`);
    const json = `${keys.map((key) => `{"${key}":`).join('')}[${Array(1000).fill(0).join(',')}]${'}'.repeat(2000)}`;
    const plain = chunkText(
      'plain words of text. '.repeat(Math.ceil(json.length / 21)).slice(0, json.length),
      chunking,
    );
    const id = await upload(withUploadLimit(100_000), recording, 'application/json', json);
    expect(await complete(withUploadLimit(100_000), recording, id)).toMatchObject({ status: 'ready' });
    const chunks = await storedChunks(id);
    expect(chunks).toBeLessThanOrEqual(2 * plain.length);
    expect(chunks).toBeGreaterThanOrEqual(plain.length / 2);
  });
});
