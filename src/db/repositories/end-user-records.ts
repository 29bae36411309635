// One end user's rows in a tenant: their conversations (end_user_id, as widget-user.ts stores it:
// `widget:{sha256 of the token}` or `user:{JWT sub}`), those conversations' messages and retrieval
// log rows, and the idempotency records of their requests (whose stored answers may quote them).
// Deleted in batches with the job's postgres progress in the same statement, like erasure-counts.ts.
import { type SQL, sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export type EndUserTable = 'messages' | 'retrievals' | 'conversations' | 'idempotency_keys';
export const END_USER_TABLES: readonly EndUserTable[] = ['messages', 'retrievals', 'conversations', 'idempotency_keys'];

/** The idempotency principal of this end user (src/http/idempotency.ts idempotencyPrincipal). */
function idempotencyMatch(endUserId: string): SQL {
  if (endUserId.startsWith('user:')) return sql`principal = ${endUserId}`;
  const hash = endUserId.slice('widget:'.length);
  return sql`principal like ${`%:wu:${hash}`}`;
}

function rowsOf(table: EndUserTable, endUserId: string): SQL {
  const theirs = sql`select c.id from conversations c where c.end_user_id = ${endUserId}`;
  switch (table) {
    case 'messages':
      return sql`messages where conversation_id in (${theirs})`;
    case 'retrievals':
      return sql`retrievals where conversation_id in (${theirs})`;
    case 'conversations':
      return sql`conversations where end_user_id = ${endUserId}`;
    case 'idempotency_keys':
      return sql`idempotency_keys where ${idempotencyMatch(endUserId)}`;
  }
}

export function countEndUserRows({ db }: TenantScope, endUserId: string) {
  const parts = END_USER_TABLES.map(
    (table) => sql`select ${table}::text as name, count(*)::int as rows from ${rowsOf(table, endUserId)}`,
  );
  return db.execute<{ name: string; rows: number }>(sql.join(parts, sql` union all `));
}

export function deleteEndUserBatch(
  { db }: TenantScope,
  table: EndUserTable,
  endUserId: string,
  limit: number,
  jobId: string,
) {
  const name = sql.identifier(table);
  return db.execute<{ deleted: number }>(sql`
    with gone as (
      delete from ${name} where ctid in (select ctid from ${rowsOf(table, endUserId)} limit ${limit}) returning 1
    ), counted as (
      update jobs set progress = jsonb_set(progress, '{postgres,done}',
          to_jsonb(coalesce((progress #>> '{postgres,done}')::int, 0) + (select count(*) from gone)::int), true),
        updated_at = clock_timestamp()
      where id = ${jobId}::uuid
      returning 1
    )
    select (select count(*) from gone)::int as deleted`);
}
