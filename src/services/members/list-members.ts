// GET /v1/projects/{id}/members: who holds which role in the project. The project must be there for
// this caller (RLS and its project reach): another tenant's project is 404 like a missing one.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { projectMembers } from '../../db/repositories/member-records.ts';
import { findProject, projectExists, visibleProjectId } from '../../db/repositories/project-admin-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { accessEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { type MemberView, memberView } from './member-view.ts';

export const MAX_LISTED_MEMBERS = 1000;

export async function listMembers({
  ctx,
  deps,
  input,
}: ServiceCall<{ projectId: string }>): Promise<{ members: MemberView[] }> {
  assertProjectInScope(ctx, input.projectId);
  const entry = accessEntry(ctx, deps, {
    action: 'member.list',
    targetType: 'project',
    targetId: input.projectId,
    projectOf: visibleProjectId(input.projectId),
  });
  const [project, rows] = await withTenant(ctx, deps.settings, (scope) => [
    findProject(scope, input.projectId),
    projectMembers(scope, input.projectId, MAX_LISTED_MEMBERS),
    recordAccess(scope, entry, projectExists(input.projectId)),
  ]);
  if (project.length === 0) throw notFound();
  return { members: rows.map((row) => memberView(input.projectId, row)) };
}
