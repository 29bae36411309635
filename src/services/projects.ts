// Which project a request works in. A named project must be in the principal's reach (else the
// same 404 as a missing one); an unnamed one defaults to the only project the principal can see.
import { visibleProjectIds, visibleProjects } from '../db/repositories/project-records.ts';
import { withTenant } from '../db/with-tenant.ts';
import { ApiError, notFound } from '../domain/api-error.ts';
import { assertProjectInScope } from '../stores/project-scope.ts';
import type { ServiceCall } from './service-deps.ts';

export async function resolveProjectId({ ctx, deps, input }: ServiceCall<string | undefined>): Promise<string> {
  if (input !== undefined) {
    assertProjectInScope(ctx, input);
    return input;
  }
  if (ctx.projectIds !== 'all' && ctx.projectIds.length === 1) return ctx.projectIds[0] as string;
  const [visible] = await withTenant(ctx, deps.settings, (scope) => [visibleProjectIds(scope)]);
  if (visible.length === 1) return (visible[0] as { id: string }).id;
  if (visible.length === 0) throw notFound();
  throw new ApiError('bad_request', 'projectId is required: this credential reaches several projects');
}

export interface ProjectView {
  id: string;
  name: string;
  createdAt: string;
}

/** The projects this credential reaches: what an integrator passes as `projectId`. */
export async function listProjects({ ctx, deps }: ServiceCall<void>): Promise<{ projects: ProjectView[] }> {
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [visibleProjects(scope)]);
  return { projects: rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.createdAt.toISOString() })) };
}
