// Apply, rows: each table, each owner, a batch at a time: the legacy rows and their chunks become
// the tenant's documents and chunks (write-documents.ts). In re-embed mode each batch's chunks are
// embedded with the target embedder and upserted into the tenant's namespace right after; the ids
// are derived, so a batch redone after a crash overwrites itself.
import type { Index } from '@pinecone-database/pinecone';
import type pg from 'pg';
import { embedTexts } from '../../src/embeddings/embedder.ts';
import { localEmbedder } from '../../src/embeddings/local-embedder.ts';
import { toTenantId } from '../../src/tenancy/context.ts';
import { tenantNamespace, vectorId } from '../../src/tenancy/storage-names.ts';
import type { SourceDb } from './connections.ts';
import { chunksOfRows, ownerCounts, rowsOfOwner } from './legacy-rows.ts';
import type { OwnerResolver, TargetTenant } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { type TargetDocument, targetDocument } from './target-documents.ts';
import { upsertTenantVectors } from './tenant-vector-writes.ts';
import { writeDocuments } from './write-documents.ts';

export interface CopyHooks {
  /** Called after each batch is written; the crash tests throw from here. */
  afterBatch?: (batch: number) => void | Promise<void>;
}

export interface RowCopyResult {
  documentsInserted: number;
  documentsSeen: number;
  vectorsEmbedded: number;
}

export async function copyRows(
  plan: Plan,
  io: { db: SourceDb; target: pg.Client; index: Index; reEmbed: boolean },
  resolve: OwnerResolver,
  hooks: CopyHooks = {},
): Promise<RowCopyResult> {
  const result: RowCopyResult = { documentsInserted: 0, documentsSeen: 0, vectorsEmbedded: 0 };
  const maxDocuments = plan.tenantDefaults.limits.maxDocuments;
  const embedder = localEmbedder(plan.target.dimension);
  let batchNumber = 0;
  for (const table of plan.source.tables) {
    for (const { owner } of await ownerCounts(io.db, table)) {
      const verdict = resolve(owner);
      if (!('tenant' in verdict)) continue; // refused: reported by the survey, never copied
      const { tenant } = verdict;
      for await (const rows of rowsOfOwner(io.db, table, owner, plan.batchSize)) {
        const chunks = await chunksOfRows(
          io.db,
          table,
          rows.map((r) => r.key),
        );
        const documents = rows.map((row) => targetDocument(plan.id, table, row, chunks.get(row.key)));
        result.documentsSeen += documents.length;
        result.documentsInserted += await writeDocuments(
          io.target,
          tenant,
          plan.id,
          documents,
          tenant.provisioned ? maxDocuments : undefined,
        );
        if (io.reEmbed) result.vectorsEmbedded += await embedDocuments(io.index, tenant, documents, embedder);
        await hooks.afterBatch?.(++batchNumber);
      }
    }
  }
  return result;
}

async function embedDocuments(
  index: Index,
  tenant: TargetTenant,
  documents: TargetDocument[],
  embedder: ReturnType<typeof localEmbedder>,
): Promise<number> {
  const chunks = documents.flatMap((d) => d.chunks.map((c) => ({ document: d, chunk: c })));
  if (chunks.length === 0) return 0;
  const values = await embedTexts(
    embedder,
    chunks.map((c) => c.chunk.content),
    'document',
  );
  const namespace = tenantNamespace({ tenantId: toTenantId(tenant.id) });
  return upsertTenantVectors(
    index,
    namespace,
    chunks.map(({ document, chunk }, i) => ({
      id: vectorId(document.id, chunk.chunkIndex),
      values: values[i] as number[],
      metadata: {
        tenantId: tenant.id,
        projectId: tenant.projectId,
        documentId: document.id,
        chunkIndex: chunk.chunkIndex,
      },
    })),
  );
}
