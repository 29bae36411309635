// Guards every /v1 route uses. A refused scope or a feature the tenant has off is audited (tenant,
// actor, route, outcome) before the 403; the row is written after the response when the Worker
// allows, so a denial costs the caller no round trip. A principal that reaches no project finds
// nothing under /v1.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError, notFound } from '../../domain/api-error.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { recordAccessDenial } from '../../services/access-denial.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import type { Scope } from '../../tenancy/context.ts';

export const requireAuditedScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async function requireAuditedScope(c, next) {
    const { projectIds, scopes } = c.get('tenant');
    // Everything under /v1 lives in a project; RLS would refuse even this principal's audit rows.
    if (projectIds !== 'all' && projectIds.length === 0) throw notFound();
    if (scopes.has(scope)) return next();
    await auditDenial(c, { requiredScope: scope });
    throw new ApiError('forbidden', `This credential lacks the ${scope} scope`);
  });

/** The services check the flag too (assertChatEnabled); this guard is what audits the refusal. */
export const requireAuditedFeature = (feature: string, refusal: string) =>
  createMiddleware<AppEnv>(async function requireAuditedFeature(c, next) {
    if (isFeatureOn(c.get('tenant'), feature)) return next();
    await auditDenial(c, { requiredFeature: feature });
    throw new ApiError('forbidden', refusal);
  });

async function auditDenial(c: Context<AppEnv>, detail: Record<string, string>): Promise<void> {
  const recording = recordDenial(c, detail).catch((error: unknown) => {
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'audit.denial_unrecorded',
        requestId: c.get('requestId'),
        error: String(error),
      }),
    );
  });
  try {
    c.executionCtx.waitUntil(recording);
  } catch {
    await recording; // no ExecutionContext (tests): record before answering
  }
}

function recordDenial(c: Context<AppEnv>, detail: Record<string, string>) {
  const deps = { settings: c.get('settings'), requestId: c.get('requestId') };
  const route = `${c.req.method} ${c.req.routePath}`;
  return recordAccessDenial({ ctx: c.get('tenant'), deps, input: { route, detail } });
}
