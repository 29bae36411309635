// The rows an export bundle holds, read a page at a time in id order under the exporting context
// (a project export's context reaches only that project, so RLS narrows every table to it).
// Documents are metadata only: their content is the original object (listed in the manifest) and
// its chunks. Each row is the table's own JSON form of the row, as Postgres makes it.
import { sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export const EXPORT_TABLES = ['projects', 'documents', 'chunks', 'conversations', 'messages', 'audit_events'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export function exportPage({ db }: TenantScope, table: ExportTable, afterId: string | null, limit: number) {
  const name = sql.identifier(table);
  const after = afterId === null ? sql`true` : sql`t.id > ${afterId}::uuid`;
  return db.execute<{ id: string; line: string }>(sql`
    select t.id::text as id, to_jsonb(t)::text as line from ${name} t where ${after} order by t.id limit ${limit}`);
}
