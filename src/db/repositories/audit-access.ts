// Audit rows for reads and refusals, written in the same batch as the statement they describe.
// The outcome is decided by Postgres in that same statement (does the row exist under this
// tenant's RLS context?), so recording an access never costs a round trip of its own.
import { type SQL, sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export interface AccessEntry {
  action: string;
  targetType: string;
  targetId: string;
  /** The project the row is filed under when `projectOf` finds none (e.g. not found). */
  projectId?: string | null;
  /** A scalar subquery for the target's own project, e.g. the document's. */
  projectOf?: SQL;
  requestId: string;
  detail?: Record<string, unknown>;
}

export type AccessOutcome = 'allowed' | 'not_found' | 'denied';

/** detail = { outcome, requestId, …entry.detail }: one shape for every audit row. */
export function auditDetail(outcome: AccessOutcome, requestId: string, detail: Record<string, unknown> = {}) {
  return { ...detail, outcome, requestId };
}

/**
 * Records `entry` with outcome `allowed` when `exists` (an EXISTS subquery) holds, else
 * `not_found`. With `onlyWhenMissing`, nothing is written for an allowed access: for actions whose
 * success is recorded later, with the write it describes.
 */
export function recordAccess(
  { ctx, db }: TenantScope,
  entry: AccessEntry,
  exists: SQL,
  options: { onlyWhenMissing?: boolean } = {},
) {
  const detail = JSON.stringify(entry.detail ?? {});
  const outcome = sql`case when ${exists} then 'allowed' else 'not_found' end`;
  const guard = options.onlyWhenMissing ? sql`where not ${exists}` : sql``;
  // A project-limited principal may only write rows filed under one of its projects (RLS WITH CHECK).
  const project = sql`coalesce(${entry.projectOf ?? sql`null`}, ${entry.projectId ?? null}::uuid)`;
  return db.execute(sql`
    insert into audit_events (tenant_id, project_id, actor_kind, actor_id, action, target_type, target_id, detail)
    select ${ctx.tenantId}::uuid, ${project}, ${ctx.principal.kind}, ${ctx.principal.id},
           ${entry.action}, ${entry.targetType}, ${entry.targetId},
           ${detail}::jsonb || jsonb_build_object('outcome', ${outcome}, 'requestId', ${entry.requestId}::text)
    ${guard}`);
}
