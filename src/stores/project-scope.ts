// A principal limited to some projects must not reach another project's vectors, objects or cached
// results even when a route forgets to check. Out of scope answers like a missing resource.
import { notFound } from '../domain/api-error.ts';
import type { TenantContext } from '../tenancy/context.ts';

export function assertProjectInScope(ctx: Pick<TenantContext, 'projectIds'>, projectId: string): void {
  if (ctx.projectIds !== 'all' && !ctx.projectIds.includes(projectId)) throw notFound();
}
