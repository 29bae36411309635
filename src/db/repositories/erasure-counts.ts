// Counting and deleting a tenant's rows, table by table, under its own context. The tables are
// found in the catalogue (every public table with a tenant_id column), not from a list, so a table
// added later is counted by the verification even if erasure forgot it (and the job fails), and
// deleted by the catch-all pass. Names reach SQL only as identifiers taken from pg_class.
import { sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface TenantTable {
  name: string;
  /** Whether the runtime role may SELECT it (to count) and DELETE from it. */
  readable: boolean;
  deletable: boolean;
}

export function tenantTables({ db }: TenantScope) {
  return db.execute<{ name: string; readable: boolean; deletable: boolean }>(sql`
    select c.relname as name,
      has_table_privilege(c.oid, 'SELECT') as readable,
      has_table_privilege(c.oid, 'DELETE') as deletable
    from pg_catalog.pg_class c
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace
    order by 1`);
}

function identifier(name: string) {
  if (!TABLE_NAME.test(name)) throw new Error(`not a table name: ${name}`);
  return sql.identifier(name);
}

/** One statement: the context's row count in each table (RLS limits each count to the tenant). */
export function countRows({ db }: TenantScope, tables: readonly string[]) {
  const parts = tables.map((name) => sql`select ${name}::text as name, count(*)::int as rows from ${identifier(name)}`);
  return db.execute<{ name: string; rows: number }>(sql.join(parts, sql` union all `));
}

/**
 * Deletes at most `limit` of the tenant's rows of `table` and adds the number to the job's
 * postgres progress in the same statement: the count and the delete commit together or not at
 * all, so a step that dies after committing and is retried never counts those rows again.
 */
export function deleteRowBatch({ db }: TenantScope, table: string, limit: number, jobId: string) {
  const name = identifier(table);
  return db.execute<{ deleted: number }>(sql`
    with gone as (
      delete from ${name} where ctid in (select ctid from ${name} limit ${limit}) returning 1
    ), counted as (
      update jobs set progress = jsonb_set(progress, '{postgres,done}',
          to_jsonb(coalesce((progress #>> '{postgres,done}')::int, 0) + (select count(*) from gone)::int), true),
        updated_at = clock_timestamp()
      where id = ${jobId}::uuid
      returning 1
    )
    select (select count(*) from gone)::int as deleted, (select count(*) from counted)::int as jobs`);
}
