// Usage figures that Postgres can answer: what the tenant stores (counted under its RLS context,
// each count on a tenant-led index) and what its audit log says happened per day. Request volume
// itself is a Workers Analytics Engine series (REQUEST_METRICS), not a table: see docs/admin-api.md.
import { sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export interface StoredCounts {
  projects: number;
  documents: number;
  ready_documents: number;
  stored_bytes: number;
  chunks: number;
  vectors: number;
  conversations: number;
  messages: number;
  live_api_keys: number;
}

/** One row of counts over everything the context can see. */
export function storedCounts({ db }: TenantScope) {
  return db.execute<StoredCounts & Record<string, unknown>>(sql`
    select
      (select count(*)::int from projects) as projects,
      (select count(*)::int from documents) as documents,
      (select count(*)::int from documents where status = 'ready') as ready_documents,
      (select coalesce(sum(size_bytes), 0)::bigint::text from documents) as stored_bytes,
      (select count(*)::int from chunks) as chunks,
      (select count(*)::int from chunks c join documents d
         on d.tenant_id = c.tenant_id and d.project_id = c.project_id and d.id = c.document_id
         where d.status = 'ready') as vectors,
      (select count(*)::int from conversations) as conversations,
      (select count(*)::int from messages) as messages,
      (select count(*)::int from api_keys
         where revoked_at is null and (expires_at is null or expires_at > now())) as live_api_keys`);
}

export interface DailyAuditRow {
  day: string;
  outcome: string;
  reason: string | null;
  events: number;
}

/**
 * Audit rows per UTC day since `since`, by outcome, and for refusals by reason. A sampled refusal
 * (src/http/audit-denial.ts) stands for itself and the `suppressed` ones folded into it.
 */
export function dailyAuditCounts({ db }: TenantScope, since: Date) {
  return db.execute<DailyAuditRow & Record<string, unknown>>(sql`
    select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
      coalesce(detail->>'outcome', 'allowed') as outcome,
      case when detail->>'outcome' = 'denied' then
        case
          when detail ? 'reason' then detail->>'reason'
          when detail ? 'requiredScope' then 'missing_scope'
          when detail ? 'requiredFeature' then 'feature_disabled'
          when target_type = 'limit' then 'limit_exceeded'
          else 'other'
        end
      end as reason,
      sum(1 + coalesce(nullif(detail->>'suppressed', '')::int, 0))::int as events
    from audit_events
    where created_at >= ${since.toISOString()}::timestamptz
    group by 1, 2, 3
    order by 1, 2, 3`);
}
