// The admin API's guards: the admin scope (audited, like every /v1 scope refusal) and, for what
// belongs to the whole tenant (API keys, creating and deleting projects, usage), a tenant-wide
// principal (src/services/api-keys/tenant-wide-admin.ts says why), refused and audited the same way.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../domain/api-error.ts';
import type { AppEnv } from '../../../http/app-env.ts';
import { auditDenial } from '../../../http/audit-denial.ts';
import { isTenantWide, TENANT_WIDE_REQUIRED } from '../../../services/api-keys/tenant-wide-admin.ts';
import { requireAuditedScope } from '../guards.ts';

export const adminScope = requireAuditedScope('admin');

export const requireTenantWide = createMiddleware<AppEnv>(async function requireTenantWide(c, next) {
  if (isTenantWide(c.get('tenant'))) return next();
  await auditDenial(c, c.get('tenant'), { requiredReach: 'tenant' });
  throw new ApiError('forbidden', TENANT_WIDE_REQUIRED);
});
