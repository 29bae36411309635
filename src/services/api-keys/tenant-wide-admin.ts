// API keys, projects as a whole and usage belong to the tenant, not to one project: a key can
// reach every project, and a project-limited admin (a user who administers one project) could
// otherwise mint a key that reaches more than it does. Those calls need a tenant-wide principal.
// Members and the audit log stay open to project-limited admins: RLS limits them to their projects.
import { ApiError } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export const TENANT_WIDE_REQUIRED = 'This call needs a tenant-wide admin credential (one that reaches every project)';

export const isTenantWide = (ctx: Pick<TenantContext, 'projectIds'>): boolean => ctx.projectIds === 'all';

export function assertTenantWide(ctx: Pick<TenantContext, 'projectIds'>): void {
  if (!isTenantWide(ctx)) throw new ApiError('forbidden', TENANT_WIDE_REQUIRED);
}
