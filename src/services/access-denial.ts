// An access.denied audit row: a refused scope or a feature the tenant has off, filed under the
// caller's tenant (and project) like every other audit row, in its own batch.
import { recordAuditEvent } from '../db/repositories/audit-events.ts';
import { withTenant } from '../db/with-tenant.ts';
import { auditEntry } from './audit.ts';
import type { ServiceCall, ServiceDeps } from './service-deps.ts';

export interface AccessDenial {
  /** `METHOD /route/pattern`: the route, never the concrete path (ids stay out of the target). */
  route: string;
  /** What was missing, e.g. `{ requiredScope: 'chat' }`. */
  detail: Record<string, string>;
}

/** Needs only settings and the request id, so a denial is recorded even when the embedder or chat
 * model is misconfigured. */
export async function recordAccessDenial({
  ctx,
  deps,
  input,
}: Omit<ServiceCall<AccessDenial>, 'deps'> & { deps: Pick<ServiceDeps, 'settings' | 'requestId'> }): Promise<void> {
  const entry = auditEntry(ctx, deps, {
    action: 'access.denied',
    targetType: 'route',
    targetId: input.route,
    outcome: 'denied',
    detail: input.detail,
  });
  await withTenant(ctx, deps.settings, (scope) => [recordAuditEvent(scope, entry)]);
}
