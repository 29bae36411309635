// Guards every /v1 route uses. A refused scope (403 forbidden) or a feature the tenant has off
// (403 feature_disabled) is audited (tenant, actor, route, outcome; src/http/audit-denial.ts) before
// the answer. A principal that reaches no project finds nothing under /v1.
import { createMiddleware } from 'hono/factory';
import { ApiError, notFound } from '../../domain/api-error.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { auditDenial } from '../../http/audit-denial.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import type { Scope } from '../../tenancy/context.ts';

export const requireAuditedScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async function requireAuditedScope(c, next) {
    const { projectIds, scopes } = c.get('tenant');
    // Everything under /v1 lives in a project; RLS would refuse even this principal's audit rows.
    if (projectIds !== 'all' && projectIds.length === 0) throw notFound();
    if (scopes.has(scope)) return next();
    await auditDenial(c, c.get('tenant'), { requiredScope: scope });
    throw new ApiError('forbidden', `This credential lacks the ${scope} scope`);
  });

/**
 * The services check the flag too (assertChatEnabled, assertUploadsEnabled); this guard is what
 * audits the refusal. `refusal` is the message, which names the flag.
 */
export const requireAuditedFeature = (feature: string, refusal: string) =>
  createMiddleware<AppEnv>(async function requireAuditedFeature(c, next) {
    if (isFeatureOn(c.get('tenant'), feature)) return next();
    await auditDenial(c, c.get('tenant'), { requiredFeature: feature });
    throw new ApiError('feature_disabled', refusal);
  });
