// The audit log: insert and read only (the runtime role has no UPDATE or DELETE on it).
import { desc } from 'drizzle-orm';
import { auditEvents } from '../schema/audit-events.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface AuditEventInput {
  action: string;
  projectId?: string | null;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
}

/** The actor is the context's principal: a caller cannot record an event in someone else's name. */
export function recordAuditEvent({ ctx, db }: TenantScope, input: AuditEventInput) {
  return db
    .insert(auditEvents)
    .values({
      tenantId: ctx.tenantId,
      projectId: input.projectId ?? null,
      actorKind: ctx.principal.kind,
      actorId: ctx.principal.id,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      detail: input.detail ?? {},
    })
    .returning({ id: auditEvents.id });
}

export function recentAuditEvents({ db }: TenantScope, limit = 50) {
  return db.select().from(auditEvents).orderBy(desc(auditEvents.createdAt)).limit(limit);
}
