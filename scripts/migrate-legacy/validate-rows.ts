// Validation, rows: per tenant and per table, the set of legacy keys its owners hold in the source
// against the set of migrated documents the tenant's own context can read; then a sample of rows
// compared field by field. Sets, not counts, and per tenant, not in total: a copy that put every
// row in one tenant keeps the total, and one that swapped two owners of equal size keeps each
// count; neither keeps the sets.
import type pg from 'pg';
import type { SourceDb } from './connections.ts';
import { chunksOfRows, rowsByKeys, rowsOfOwner } from './legacy-rows.ts';
import type { Owner, TargetTenant } from './owner-mapping.ts';
import type { Plan, SourceTable } from './plan.ts';
import { legacyExternalIdPrefix } from './stable-ids.ts';
import { targetDocument } from './target-documents.ts';
import { inTenantTransaction } from './tenant-transaction.ts';

const LISTED = 10;

export interface TableValidation {
  source: number;
  target: number;
  sourceChunks: number;
  targetChunks: number;
  missing: string[];
  unexpected: string[];
  sampled: number;
  sampleMismatches: string[];
}

/** The legacy keys of `owners` in `table`. */
export async function expectedKeys(db: SourceDb, table: SourceTable, owners: Owner[], batchSize: number) {
  const keys = new Set<string>();
  for (const owner of owners) {
    for await (const rows of rowsOfOwner(db, table, owner, batchSize)) for (const row of rows) keys.add(row.key);
  }
  return keys;
}

export async function validateTable(
  plan: Plan,
  io: { db: SourceDb; target: pg.Client },
  tenant: TargetTenant,
  table: SourceTable,
  expected: Set<string>,
  sourceChunks: number,
): Promise<TableValidation> {
  const prefix = legacyExternalIdPrefix(plan.id, table.name);
  const found = await inTenantTransaction(io.target, tenant.id, async (tx) => {
    const documents = await tx.query<{ external_id: string }>(
      'select external_id from documents where external_id like $1',
      [`${prefix.replace(/[\\%_]/g, '\\$&')}%`],
    );
    const chunks = await tx.query<{ count: string }>(
      `select count(*) from chunks c join documents d on d.tenant_id = c.tenant_id and d.id = c.document_id
        where d.external_id like $1`,
      [`${prefix.replace(/[\\%_]/g, '\\$&')}%`],
    );
    return {
      keys: documents.rows.map((r) => r.external_id.slice(prefix.length)),
      chunks: Number(chunks.rows[0]?.count),
    };
  });
  const actual = new Set(found.keys);
  const missing = [...expected].filter((key) => !actual.has(key));
  const unexpected = [...actual].filter((key) => !expected.has(key));
  const sample = await compareSample(plan, io, tenant, table, sampleOf([...expected], plan.sampleSize));
  return {
    source: expected.size,
    target: actual.size,
    sourceChunks,
    targetChunks: found.chunks,
    missing: missing.slice(0, LISTED),
    unexpected: unexpected.slice(0, LISTED),
    sampled: sample.compared,
    sampleMismatches: sample.mismatches,
  };
}

/** `size` keys spread evenly over the list, first and last included. */
function sampleOf(keys: string[], size: number): string[] {
  if (keys.length <= size) return keys;
  const step = (keys.length - 1) / Math.max(1, size - 1);
  return [...new Set(Array.from({ length: size }, (_, i) => keys[Math.round(i * step)] as string))];
}

async function compareSample(
  plan: Plan,
  io: { db: SourceDb; target: pg.Client },
  tenant: TargetTenant,
  table: SourceTable,
  keys: string[],
): Promise<{ compared: number; mismatches: string[] }> {
  const rows = await rowsByKeys(io.db, table, keys);
  const chunks = await chunksOfRows(io.db, table, keys);
  const mismatches: string[] = [];
  const wanted = rows.map((row) => targetDocument(plan.id, table, row, chunks.get(row.key)));
  const stored = await inTenantTransaction(io.target, tenant.id, async (tx) => {
    const ids = wanted.map((d) => d.id);
    const documents = await tx.query<{
      id: string;
      project_id: string;
      title: string;
      created_at: Date;
      external_id: string;
    }>('select id::text, project_id::text, title, created_at, external_id from documents where id = any($1::uuid[])', [
      ids,
    ]);
    const chunkRows = await tx.query<{ document_id: string; chunk_index: number; content: string }>(
      'select document_id::text, chunk_index, content from chunks where document_id = any($1::uuid[]) order by document_id, chunk_index',
      [ids],
    );
    const metadata = await tx.query<{ target_id: string; metadata: unknown }>(
      `select target_id, detail->'sourceMetadata' as metadata from audit_events
        where target_type = 'document' and action = 'document.ingest' and target_id = any($1::text[])`,
      [ids],
    );
    return { documents: documents.rows, chunks: chunkRows.rows, metadata: metadata.rows };
  });
  for (const want of wanted) {
    const what = `${table.name} ${want.legacyKey}`;
    const got = stored.documents.find((d) => d.id === want.id);
    if (!got) {
      mismatches.push(`${what}: not readable in tenant ${tenant.slug}`);
      continue;
    }
    if (got.project_id !== tenant.projectId)
      mismatches.push(`${what}: project ${got.project_id}, expected ${tenant.projectId}`);
    if (got.title !== want.title) mismatches.push(`${what}: title differs`);
    if (got.external_id !== want.externalId) mismatches.push(`${what}: external id differs`);
    if (want.createdAt && got.created_at.getTime() !== want.createdAt.getTime())
      mismatches.push(`${what}: created time differs`);
    const gotChunks = stored.chunks
      .filter((c) => c.document_id === want.id)
      .map((c) => `${c.chunk_index}:${c.content}`);
    const wantChunks = want.chunks.map((c) => `${c.chunkIndex}:${c.content}`);
    if (JSON.stringify(gotChunks) !== JSON.stringify(wantChunks)) mismatches.push(`${what}: chunk text differs`);
    const meta = stored.metadata.find((m) => m.target_id === want.id)?.metadata ?? {};
    if (canonical(meta) !== canonical(want.metadata ?? {})) mismatches.push(`${what}: metadata differs`);
  }
  return { compared: wanted.length, mismatches: mismatches.slice(0, LISTED * 2) };
}

/** JSON with sorted keys: jsonb does not keep key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
