// Audit entries for the services: who (the context's principal, filled in by the repository),
// did what to which resource, with what outcome, in which request. Rows are filed under a project
// the principal can reach: RLS refuses a project-limited principal any other row, tenant-level
// (NULL project) included.

import { type AccessEntry, type AccessOutcome, auditDetail } from '../db/repositories/audit-access.ts';
import type { AuditEventInput } from '../db/repositories/audit-events.ts';
import type { TenantContext } from '../tenancy/context.ts';
import type { ServiceDeps } from './service-deps.ts';

/** Null (tenant level) for tenant-wide principals, else the principal's first project. */
export function contextProjectId(ctx: Pick<TenantContext, 'projectIds'>): string | null {
  return ctx.projectIds === 'all' ? null : (ctx.projectIds[0] ?? null);
}

export function auditEntry(
  ctx: TenantContext,
  deps: Pick<ServiceDeps, 'requestId'>,
  entry: Omit<AuditEventInput, 'detail'> & { outcome?: AccessOutcome; detail?: Record<string, unknown> },
): AuditEventInput {
  const { outcome = 'allowed', detail, ...rest } = entry;
  return {
    ...rest,
    projectId: rest.projectId ?? contextProjectId(ctx),
    detail: auditDetail(outcome, deps.requestId, detail),
  };
}

export function accessEntry(
  ctx: TenantContext,
  deps: Pick<ServiceDeps, 'requestId'>,
  entry: Omit<AccessEntry, 'requestId'>,
): AccessEntry {
  return { ...entry, projectId: entry.projectId ?? contextProjectId(ctx), requestId: deps.requestId };
}
