// The tenant's audit log as its admins read it: newest first, paged over (created_at, id), filtered
// by action, outcome, actor and time. RLS decides whose rows exist (the tenant, and for a
// project-limited principal only its projects' rows).
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { auditEvents } from '../schema/audit-events.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface AuditLogFilter {
  action?: string;
  outcome?: string;
  actorKind?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
}

export interface AuditCursor {
  createdAt: string;
  id: string;
}

export function auditLogCondition(filter: AuditLogFilter, after: AuditCursor | undefined): SQL | undefined {
  return and(
    filter.action === undefined ? undefined : eq(auditEvents.action, filter.action),
    filter.outcome === undefined ? undefined : sql`${auditEvents.detail}->>'outcome' = ${filter.outcome}`,
    filter.actorKind === undefined ? undefined : eq(auditEvents.actorKind, filter.actorKind),
    filter.actorId === undefined ? undefined : eq(auditEvents.actorId, filter.actorId),
    filter.since === undefined ? undefined : gte(auditEvents.createdAt, filter.since),
    filter.until === undefined ? undefined : lt(auditEvents.createdAt, filter.until),
    after === undefined
      ? undefined
      : sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
  );
}

/** `limit + 1` rows, so the caller knows whether there is a next page. */
export function auditLogPage({ db }: TenantScope, condition: SQL | undefined, limit: number) {
  return db
    .select({
      id: auditEvents.id,
      // Only a project of this tenant that still exists: a row may be filed under the id a caller
      // sent (a list filtered by a project that is not there), which is nothing of this tenant's.
      projectId: sql<string | null>`case when exists (select 1 from projects as p
        where p.tenant_id = audit_events.tenant_id and p.id = audit_events.project_id)
        then audit_events.project_id end`,
      actorKind: auditEvents.actorKind,
      actorId: auditEvents.actorId,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      detail: auditEvents.detail,
      createdAt: auditEvents.createdAt,
      cursorAt: sql<string>`${auditEvents.createdAt}::text`,
    })
    .from(auditEvents)
    .where(condition)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
}
