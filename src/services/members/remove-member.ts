// DELETE /v1/projects/{id}/members/{userId}: the user loses its role in the project. From the
// commit, rolesOfUser no longer returns it, so the user's JWT stops granting that project at its
// next tenant resolution that reads the rows (the bound is the resolver's, docs/admin-api.md).
// Idempotent: a membership that is not there (or not this caller's to see) answers the same 204.

import { recordAccess } from '../../db/repositories/audit-access.ts';
import { deleteMember, memberExists } from '../../db/repositories/member-records.ts';
import { visibleProjectId } from '../../db/repositories/project-admin-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { accessEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';

export async function removeMember({
  ctx,
  deps,
  input,
}: ServiceCall<{ projectId: string; userId: string }>): Promise<void> {
  assertProjectInScope(ctx, input.projectId);
  const entry = accessEntry(ctx, deps, {
    action: 'member.remove',
    targetType: 'member',
    targetId: input.userId,
    projectOf: visibleProjectId(input.projectId),
  });
  // Decided before the delete in the same batch: does the membership exist for this caller?
  const exists = memberExists(input.projectId, input.userId);
  await withTenant(ctx, deps.settings, (scope) => [
    recordAccess(scope, entry, exists),
    deleteMember(scope, input.projectId, input.userId),
  ]);
}
