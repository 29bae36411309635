// Writes one batch of a tenant's documents and chunks in one transaction under its context. The
// ids are derived (stable-ids.ts), so a batch written before a crash is a conflict the second time
// and changes nothing; the audit rows are written only for documents this transaction inserted, so
// a re-run adds none either. Multi-row INSERTs: COPY is refused under RLS.
import type pg from 'pg';
import type { TargetTenant } from './owner-mapping.ts';
import type { TargetDocument } from './target-documents.ts';
import { inTenantTransaction, valuesList } from './tenant-transaction.ts';

const CHUNK_ROWS_PER_INSERT = 1000;
export const MIGRATION_ACTOR = (planId: string) => `migrate-legacy:${planId}`;

export async function writeDocuments(
  client: pg.Client,
  tenant: TargetTenant,
  planId: string,
  documents: TargetDocument[],
  maxDocuments: number | undefined,
): Promise<number> {
  if (documents.length === 0) return 0;
  // The tenant's maxDocuments, enforced by the count trigger like any other insert (drizzle/0005).
  const settings: Record<string, string> =
    maxDocuments === undefined ? {} : { 'app.max_documents': String(maxDocuments) };
  return inTenantTransaction(
    client,
    tenant.id,
    async (tx) => {
      const values = documents.flatMap((d) => [
        tenant.id,
        tenant.projectId,
        d.id,
        d.externalId,
        d.title,
        d.sizeBytes,
        d.createdAt ?? new Date(),
      ]);
      const inserted = await tx.query<{ id: string }>(
        `insert into documents (tenant_id, project_id, id, external_id, title, size_bytes, created_at, content_type, status)
         select v.t, v.p, v.id, v.e, v.title, v.size, v.created, 'text/plain', 'ready'
           from (values ${valuesList(documents.length, 7, ['::uuid', '::uuid', '::uuid', '', '', '::bigint', '::timestamptz'])})
             as v(t, p, id, e, title, size, created)
         on conflict (tenant_id, id) do nothing returning id::text`,
        values,
      );
      const fresh = new Set(inserted.rows.map((row) => row.id));
      const chunkRows = documents.flatMap((d) =>
        d.chunks.map((c) => [tenant.id, tenant.projectId, d.id, c.chunkIndex, c.content, c.tokenCount]),
      );
      for (let start = 0; start < chunkRows.length; start += CHUNK_ROWS_PER_INSERT) {
        const slice = chunkRows.slice(start, start + CHUNK_ROWS_PER_INSERT);
        await tx.query(
          `insert into chunks (tenant_id, project_id, document_id, chunk_index, content, token_count)
           values ${valuesList(slice.length, 6, ['::uuid', '::uuid', '::uuid', '::integer', '', '::integer'])}
           on conflict (tenant_id, project_id, document_id, chunk_index) do nothing`,
          slice.flat(),
        );
      }
      const audited = documents.filter((d) => fresh.has(d.id));
      if (audited.length > 0) await writeAuditRows(tx, tenant, planId, audited);
      return fresh.size;
    },
    settings,
  );
}

// What /v1/ingest records (src/services/ingestion/ingest-text.ts): the ingest event carrying the
// source metadata (Bulkhead documents have no metadata column), and a ready ingestion event, the
// document's ingestion state (src/db/repositories/ingestion-journal.ts).
async function writeAuditRows(tx: pg.Client, tenant: TargetTenant, planId: string, documents: TargetDocument[]) {
  const rows = documents.flatMap((d) => {
    const legacy = { externalId: d.externalId };
    return [
      ['document.ingest', { source: 'migration', ...legacy, sourceMetadata: d.metadata ?? {}, outcome: 'allowed' }],
      [
        'document.ingestion.ready',
        { source: 'migration', chunksDone: d.chunks.length, chunksTotal: d.chunks.length, outcome: 'allowed' },
      ],
    ].map(([action, detail]) => [
      tenant.id,
      tenant.projectId,
      'system',
      MIGRATION_ACTOR(planId),
      action,
      'document',
      d.id,
      JSON.stringify(detail),
    ]);
  });
  await tx.query(
    `insert into audit_events (tenant_id, project_id, actor_kind, actor_id, action, target_type, target_id, detail)
     values ${valuesList(rows.length, 8, ['::uuid', '::uuid', '', '', '', '', '', '::jsonb'])}`,
    rows.flat(),
  );
}
