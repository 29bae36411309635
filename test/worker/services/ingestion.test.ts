// docs/threat-model.md T29 and the ingestion contract, calling the pipeline directly: an ingestion interrupted
// anywhere (a vector upsert, the chunk batch after it) ends, on re-run, with exactly one set of
// chunks and vectors; a new version replaces the old one without a gap in search, and a shorter
// one leaves nothing of the longer old one; a document deleted mid-ingestion keeps no vectors; and
// each batch costs one database and one Pinecone trip.
import { beforeAll, describe, expect, it } from 'vitest';
import { type DocumentRow, insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { INGESTION_BATCH_SIZE, runIngestion } from '../../../src/services/ingestion/run-ingestion.ts';
import { tenantVectors } from '../../../src/stores/tenant-vectors.ts';
import { chunkText } from '../../../src/text/chunk-text.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { countNeonRequests, type RecordingDeps, recordingDeps } from './service-deps.ts';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant(1);
});

const sentences = (count: number, word = 'alpha') =>
  Array.from({ length: count }, (_, i) => `Sentence ${i} is about ${word} number ${i}.`).join(' ');

async function newDocument(): Promise<DocumentRow> {
  const [rows] = await withTenant(t.ctx, testSettings(), (scope) => [
    insertDocumentRecord(scope, {
      id: crypto.randomUUID(),
      projectId: t.projectIds[0],
      title: 'Doc',
      contentType: 'text/plain',
      sizeBytes: 1,
      objectKey: null,
      externalId: null,
    }),
  ]);
  return rows[0] as DocumentRow;
}

const ingest = (recording: RecordingDeps, document: DocumentRow, text: string) =>
  runIngestion({
    ctx: t.ctx,
    deps: recording.deps,
    input: { document, source: 'document', readText: async () => text },
  });

async function stored(recording: RecordingDeps, document: DocumentRow) {
  const vectors = await tenantVectors(t.ctx, recording.deps.pinecone).documentVectorIds(document);
  const rows = await admin().query('select chunk_index from chunks where document_id = $1 order by 1', [document.id]);
  return { vectors: vectors.length, chunks: rows.map((r) => (r as { chunk_index: number }).chunk_index) };
}

const TEXT = sentences(1000); // several batches at 200-character chunks
const N = chunkText(TEXT, { size: 200, overlap: 20 }).length;

describe('ingestion', () => {
  it(`spans several batches (${N} chunks, ${INGESTION_BATCH_SIZE} per batch)`, () => {
    expect(N).toBeGreaterThan(2 * INGESTION_BATCH_SIZE);
  });

  it('killed at a vector upsert: the re-run ends with exactly N vectors and N chunks', async () => {
    const recording = recordingDeps();
    const document = await newDocument();
    recording.failPinecone('/vectors/upsert', 1); // the second batch's upsert dies
    expect(await ingest(recording, document, TEXT)).toMatchObject({ state: 'failed' });
    const partial = await stored(recording, document);
    expect(partial.vectors).toBeLessThan(N);
    expect(await ingest(recording, document, TEXT)).toEqual({ state: 'ready', chunksTotal: N });
    expect(await stored(recording, document)).toEqual({ vectors: N, chunks: [...Array(N).keys()] });
  });

  it('killed between a vector upsert and its chunk batch: the re-run converges the same way', async () => {
    const recording = recordingDeps();
    const document = await newDocument();
    let batches = 0;
    const neon = countNeonRequests(document.id, (body) =>
      body.includes('insert into \\"chunks\\"') && ++batches === 2 ? 'fail' : undefined,
    );
    try {
      expect(await ingest(recording, document, TEXT)).toMatchObject({ state: 'failed' });
    } finally {
      neon.stop();
    }
    expect(await ingest(recording, document, TEXT)).toEqual({ state: 'ready', chunksTotal: N });
    expect(await stored(recording, document)).toEqual({ vectors: N, chunks: [...Array(N).keys()] });
  });

  it('a shorter new version leaves exactly its own chunks and vectors', async () => {
    const recording = recordingDeps();
    const document = await newDocument();
    await ingest(recording, document, TEXT);
    const short = sentences(12, 'beta');
    const n = chunkText(short, { size: 200, overlap: 20 }).length;
    expect(await ingest(recording, document, short)).toEqual({ state: 'ready', chunksTotal: n });
    expect(await stored(recording, document)).toEqual({ vectors: n, chunks: [...Array(n).keys()] });
  });

  it('a new version replaces the old one batch by batch: the document stays searchable throughout', async () => {
    const recording = recordingDeps();
    const document = await newDocument();
    await ingest(recording, document, TEXT);
    // Before each batch is embedded, how many of the document's vectors are there to be found?
    const seen: number[] = [];
    const { embedder } = recording.deps;
    const watched: RecordingDeps = {
      ...recording,
      deps: {
        ...recording.deps,
        embedder: {
          ...embedder,
          embed: async (texts, purpose) => {
            seen.push((await stored(recording, document)).vectors);
            return embedder.embed(texts, purpose);
          },
        },
      },
    };
    expect(await ingest(watched, document, sentences(1000, 'gamma'))).toEqual({ state: 'ready', chunksTotal: N });
    expect(seen).toHaveLength(Math.ceil(N / INGESTION_BATCH_SIZE));
    expect(Math.min(...seen)).toBe(N);
    expect(await stored(recording, document)).toEqual({ vectors: N, chunks: [...Array(N).keys()] });
  });

  it('a document deleted while it is ingested keeps no vectors, whenever the delete lands', async () => {
    for (const moment of ['insert into \\"chunks\\"', 'update \\"documents\\"']) {
      const recording = recordingDeps();
      const document = await newDocument();
      // The row disappears just before that statement's batch, as with a concurrent DELETE.
      const neon = countNeonRequests(document.id, async (body) => {
        if (body.includes(moment)) await admin().query('delete from documents where id = $1', [document.id]);
        return undefined;
      });
      try {
        expect(await ingest(recording, document, TEXT), moment).toEqual({ state: 'gone' });
      } finally {
        neon.stop();
      }
      expect(await stored(recording, document)).toEqual({ vectors: 0, chunks: [] });
    }
  });

  it('costs one database round trip and one vector upsert per batch', async () => {
    const recording = recordingDeps();
    const document = await newDocument();
    const neon = countNeonRequests(document.id);
    try {
      await ingest(recording, document, TEXT);
    } finally {
      neon.stop();
    }
    const batches = Math.ceil(N / INGESTION_BATCH_SIZE);
    // processing(0/N), one per batch (chunks + progress), one final (trim + ready)
    expect(neon.count()).toBe(batches + 2);
    expect(recording.pinecone.filter((r) => r.url.endsWith('/vectors/upsert'))).toHaveLength(batches);
  });
});
