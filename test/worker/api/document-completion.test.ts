// POST /v1/documents/{id}/complete when it must not start a run: two calls racing each other start
// exactly one, and a document whose object is missing (never uploaded, deleted from the bucket, or
// ingested as text) is refused with 409 and keeps the state it had.
import { beforeAll, describe, expect, it } from 'vitest';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { tenantVectors } from '../../../src/stores/tenant-vectors.ts';
import { documentObjectPrefix } from '../../../src/tenancy/storage-names.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { countNeonRequests } from '../services/service-deps.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { ingestedDocument, uploadedDocument } from './resources.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

interface DocumentBody {
  status: string;
  failureReason: string | null;
  progress: { chunksDone: number; chunksTotal: number } | null;
}

const complete = (id: string) => api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' });
const getDocument = async (id: string) => json<DocumentBody>(await api(h, a, `/v1/documents/${id}`));

const uploadMissing = {
  status: 409,
  code: 'conflict',
  message: 'Upload the file before completing the document',
};

async function queuedEvents(documentId: string) {
  const rows = await admin().query(
    `select count(*)::int as n from audit_events
     where tenant_id = $1 and target_id = $2 and action = 'document.ingestion.queued'`,
    [a.id, documentId],
  );
  return (rows[0] as { n: number }).n;
}

/**
 * Sends the database batches that name `documentId` in pairs, each held until another comes, so two
 * racing requests read and write side by side instead of one finishing first. The pipeline's own
 * batches pass; a batch left without a partner goes alone after a second.
 */
function inLockstep(documentId: string) {
  let waiting: (() => void) | undefined;
  return countNeonRequests(documentId, (body) => {
    if (/document\.ingestion\.(processing|ready|failed)/.test(body)) return undefined;
    const partner = waiting;
    if (partner) {
      waiting = undefined;
      partner();
      return undefined;
    }
    return new Promise<undefined>((resolve) => {
      const release = () => {
        if (waiting === release) waiting = undefined;
        resolve(undefined);
      };
      waiting = release;
      setTimeout(release, 1000);
    });
  });
}

describe('completing a document', () => {
  it('two concurrent completes start exactly one run, ending with one set of chunks', async () => {
    const id = await uploadedDocument(h, a, `${a.canary} races. `.repeat(400));
    const lockstep = inLockstep(id);
    const answers = await Promise.all([complete(id), complete(id)]).finally(lockstep.stop);
    const outcomes = await Promise.all(answers.map(outcome));
    expect(outcomes.map((o) => o.status).sort()).toEqual([202, 409]);
    expect(outcomes.find((o) => o.status === 409)?.message).toMatch(/being ingested/);
    expect(await queuedEvents(id)).toBe(1);

    const done = await getDocument(id);
    expect(done.status).toBe('ready');
    const total = done.progress?.chunksTotal as number;
    expect(total).toBeGreaterThan(1);
    const chunks = await admin().query('select chunk_index from chunks where tenant_id = $1 and document_id = $2', [
      a.id,
      id,
    ]);
    expect(chunks).toHaveLength(total);
    const vectors = tenantVectors(tenantContext(a.id), pineconeIndex(testSettings()));
    expect(await vectors.documentVectorIds({ projectId: a.projectIds[0], id })).toHaveLength(total);
  });

  it('before the upload: 409, the document still awaits it; after the upload it succeeds', async () => {
    const res = await api(h, a, '/v1/documents', {
      body: {
        title: 'Late',
        filename: 'late.txt',
        contentType: 'text/plain',
        sizeBytes: 11,
        projectId: a.projectIds[0],
      },
    });
    const { document, upload } = await json<{
      document: { id: string };
      upload: { url: string; headers: Record<string, string> };
    }>(res);
    expect(await outcome(await complete(document.id))).toEqual(uploadMissing);
    expect(await getDocument(document.id)).toMatchObject({ status: 'awaiting_upload', failureReason: null });
    expect(await queuedEvents(document.id)).toBe(0);

    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'hello world' });
    expect((await complete(document.id)).status).toBe(202);
    expect((await getDocument(document.id)).status).toBe('ready');
  });

  it('an object deleted from the bucket: 409, and the ready document stays ready', async () => {
    const id = await uploadedDocument(h, a);
    expect((await complete(id)).status).toBe(202);
    const ctx = tenantContext(a.id);
    const prefix = documentObjectPrefix(ctx, { projectId: a.projectIds[0], id });
    expect(await tenantObjects(ctx, testSettings()).deleteAllObjects(prefix)).toBe(1);

    expect(await outcome(await complete(id))).toEqual(uploadMissing);
    expect(await getDocument(id)).toMatchObject({ status: 'ready', failureReason: null });
    expect(await queuedEvents(id)).toBe(1);
  });

  it('a document ingested as text has no upload to complete: 409, still ready', async () => {
    const id = await ingestedDocument(h, a);
    expect(await outcome(await complete(id))).toMatchObject({ status: 409, code: 'conflict' });
    expect((await getDocument(id)).status).toBe('ready');
  });
});
