// Operator actions on one tenant, each under that tenant's own context (operatorContext: the
// database lets it act whatever the status) and each with its audit row in the same batch:
// settings, suspend and resume, lock and unlock. The edge sees a change within its tenant cache
// bound (TENANT_CACHE_MS); the database path refuses a suspended or locked tenant at once
// (bulkhead_auth.assert_tenant_serving).
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  moveTenantStatus,
  readTenantRecord,
  setTenantLock,
  type TenantRow,
  type TenantSettingsPatch,
  updateTenantSettings,
} from '../../db/repositories/tenant-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError, notFound } from '../../domain/api-error.ts';
import { operatorContext, type TenantContext } from '../../tenancy/context.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { type TenantView, tenantView } from './tenant-view.ts';

type Deps = Pick<ServiceDeps, 'settings' | 'requestId'>;

export interface TenantTarget {
  tenantId: string;
  operatorId: string;
}

const contextOf = (target: TenantTarget) => operatorContext(target.tenantId, target.operatorId);

export async function readTenant(deps: Deps, target: TenantTarget): Promise<TenantView> {
  const [rows] = await withTenant(contextOf(target), deps.settings, (scope) => [readTenantRecord(scope)]);
  const row = rows[0];
  if (!row) throw notFound();
  return tenantView(row);
}

export async function updateSettings(
  deps: Deps,
  target: TenantTarget,
  patch: TenantSettingsPatch,
): Promise<TenantView> {
  const ctx = contextOf(target);
  await readTenant(deps, target); // 404 before any audit row could name a tenant that is not there
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    updateTenantSettings(scope, patch),
    recordAuditEvent(scope, audit(ctx, deps, 'tenant.settings_updated', { fields: Object.keys(patch).sort() })),
  ]);
  return viewOrNotFound(rows);
}

const TRANSITIONS = {
  suspend: { to: 'suspended', from: ['active'] },
  resume: { to: 'active', from: ['suspended'] },
} as const satisfies Record<string, { to: TenantRow['status']; from: readonly TenantRow['status'][] }>;

export type StatusChange = keyof typeof TRANSITIONS;

/** Suspend or resume; a tenant in any other state (deleting, erased) answers 409 naming it. */
export async function changeStatus(deps: Deps, target: TenantTarget, change: StatusChange): Promise<TenantView> {
  const ctx = contextOf(target);
  const { to, from } = TRANSITIONS[change];
  const [moved, current] = await withTenant(ctx, deps.settings, (scope) => [
    moveTenantStatus(scope, to, from),
    readTenantRecord(scope),
  ]);
  if (moved.length === 0) {
    const row = current[0];
    if (!row) throw notFound();
    if (row.status === to) return tenantView(row); // already there: the same answer as the first time
    throw new ApiError(
      'conflict',
      `The tenant is ${row.status}; only a tenant that is ${from.join(' or ')} can ${change}`,
    );
  }
  await withTenant(ctx, deps.settings, (scope) => [
    recordAuditEvent(
      scope,
      audit(ctx, deps, `tenant.${to === 'active' ? 'resumed' : 'suspended'}`, { from: current[0]?.status }),
    ),
  ]);
  return viewOrNotFound(moved);
}

export async function changeLock(deps: Deps, target: TenantTarget, locked: boolean): Promise<TenantView> {
  const ctx = contextOf(target);
  await readTenant(deps, target);
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    setTenantLock(scope, locked),
    recordAuditEvent(scope, audit(ctx, deps, locked ? 'tenant.locked' : 'tenant.unlocked', {})),
  ]);
  return viewOrNotFound(rows);
}

function audit(ctx: TenantContext, deps: Deps, action: string, detail: Record<string, unknown>) {
  return auditEntry(ctx, deps, { action, targetType: 'tenant', targetId: ctx.tenantId, detail });
}

function viewOrNotFound(rows: TenantRow[]): TenantView {
  const row = rows[0];
  if (!row) throw notFound();
  return tenantView(row);
}
