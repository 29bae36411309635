// Retention settings (drizzle/0009_erasure_jobs.sql retention_settings: one row per tenant, days
// or NULL for forever) and the purge of what is older, in batches, under the tenant's context.
import { sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export interface RetentionDays {
  messagesDays: number | null;
  retrievalsDays: number | null;
}

export function readRetention({ db }: TenantScope) {
  return db.execute<{ messages_days: number | null; retrievals_days: number | null }>(
    sql`select messages_days, retrievals_days from retention_settings`,
  );
}

export function setRetention({ ctx, db }: TenantScope, days: RetentionDays) {
  return db.execute<{ tenant_id: string }>(sql`
    insert into retention_settings (tenant_id, messages_days, retrievals_days)
    values (${ctx.tenantId}::uuid, ${days.messagesDays}, ${days.retrievalsDays})
    on conflict (tenant_id) do update set messages_days = excluded.messages_days,
      retrievals_days = excluded.retrievals_days, updated_at = clock_timestamp()
    returning tenant_id`);
}

/** At most `limit` rows of `table` written before `before`; returns how many went. */
export function purgeOlderThan({ db }: TenantScope, table: 'messages' | 'retrievals', before: Date, limit: number) {
  const name = sql.identifier(table);
  return db.execute<{ deleted: number }>(sql`
    with gone as (
      delete from ${name} where ctid in (
        select ctid from ${name} where created_at < ${before.toISOString()}::timestamptz limit ${limit}
      ) returning 1
    )
    select count(*)::int as deleted from gone`);
}
