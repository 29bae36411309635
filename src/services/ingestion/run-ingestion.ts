// The ingestion pipeline for one document: text → chunks → per batch (embed, upsert vectors, upsert
// chunk rows + progress event in one database batch) → trim leftovers and mark ready in one batch.
// Re-running it converges: vector ids are `{documentId}#{chunkIndex}` and chunk rows are unique per
// (document, index), so a retry overwrites; vectors and chunk rows past the new end are deleted
// last, so exactly one set of each remains. Nothing is cleared first: while a new version is
// ingested, the old one stays searchable, replaced batch by batch. Vectors are written before the
// rows that make them readable, so a crash between the two leaves only overwritable ids.

import { isForeignKeyViolation } from '../../db/postgres-errors.ts';
import { upsertChunks } from '../../db/repositories/chunks.ts';
import { type DocumentRow, deleteChunksFrom, setDocumentState } from '../../db/repositories/document-records.ts';
import { recordIngestionEvent } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { embedTexts } from '../../embeddings/embedder.ts';
import { retrievalCache } from '../../stores/retrieval-cache.ts';
import { tenantVectors } from '../../stores/tenant-vectors.ts';
import { documentLimits, limitedChunks } from '../../text/document-limits.ts';
import { IngestionFailure } from '../../text/extract-text.ts';
import type { ServiceCall } from '../service-deps.ts';
import { recordFailure } from './ingestion-failure.ts';
import type { IngestionInput, IngestionOutcome } from './ingestion-run-types.ts';

export type { IngestionOutcome, IngestionSource } from './ingestion-run-types.ts';

/** Chunks per round: one embedding call (Pinecone Inference takes at most 96), one upsert, one batch. */
export const INGESTION_BATCH_SIZE = 96;

export async function runIngestion(call: ServiceCall<IngestionInput>): Promise<IngestionOutcome> {
  const { ctx, deps, input } = call;
  const { document, source } = input;
  const vectors = tenantVectors(ctx, deps.pinecone);
  const about = { source, requestId: deps.requestId };
  try {
    // Held to the per-document limits (text length, chunk count): DocumentTooLarge, an
    // IngestionFailure, marks the document failed with a reason naming the limit.
    const limits = documentLimits(ctx.limits.maxUploadBytes, deps.chunking);
    const chunks = limitedChunks(await input.readText(), deps.chunking, limits);
    if (chunks.length === 0) throw new IngestionFailure('The document contains no text');
    const chunksTotal = chunks.length;
    await withTenant(ctx, deps.settings, (scope) => [
      recordIngestionEvent(scope, document, 'processing', { ...about, chunksDone: 0, chunksTotal }),
    ]);
    for (let start = 0; start < chunksTotal; start += INGESTION_BATCH_SIZE) {
      const batch = chunks.slice(start, start + INGESTION_BATCH_SIZE);
      const values = await embedTexts(
        deps.embedder,
        batch.map((chunk) => chunk.content),
        'document',
      );
      await vectors.upsertDocument(
        document,
        batch.map((chunk, i) => ({ chunkIndex: chunk.chunkIndex, values: values[i] as number[] })),
      );
      const chunksDone = start + batch.length;
      await withTenant(ctx, deps.settings, (scope) => [
        upsertChunks(scope, document.projectId, document.id, batch),
        recordIngestionEvent(scope, document, 'processing', { ...about, chunksDone, chunksTotal }),
      ]);
    }
    await vectors.deleteDocument(document, chunksTotal); // an older, longer version's tail
    const [, marked] = await withTenant(ctx, deps.settings, (scope) => [
      deleteChunksFrom(scope, document.id, chunksTotal),
      setDocumentState(scope, document.id, 'ready'),
      recordIngestionEvent(scope, document, 'ready', { ...about, chunksDone: chunksTotal, chunksTotal }),
    ]);
    // Deleted between the last chunk batch and here: its vectors would otherwise outlive it.
    if (marked.length === 0) return await removeOrphans(vectors, document);
    // Never throws: a refused KV write must not turn this committed document into a failed one.
    await retrievalCache(ctx, deps.kv).invalidate({ background: deps.background });
    return { state: 'ready', chunksTotal };
  } catch (error) {
    if (isForeignKeyViolation(error)) return await removeOrphans(vectors, document);
    return await recordFailure(call, error);
  }
}

async function removeOrphans(vectors: ReturnType<typeof tenantVectors>, document: DocumentRow) {
  await vectors.deleteDocument(document);
  return { state: 'gone' } as const;
}
