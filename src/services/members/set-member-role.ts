// PUT /v1/projects/{id}/members/{userId}: adds the user to the project with `role`, or changes its
// role. The (tenant, project) foreign key refuses a project that is not this tenant's, answered
// like a missing one. Tenant resolution reads these rows (rolesOfUser) to authorise a user JWT.

import { isForeignKeyViolation } from '../../db/postgres-errors.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { type ProjectRole, upsertMember } from '../../db/repositories/member-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { type MemberView, memberView } from './member-view.ts';

export interface SetMemberRoleInput {
  projectId: string;
  userId: string;
  role: ProjectRole;
}

export async function setMemberRole({
  ctx,
  deps,
  input,
}: ServiceCall<SetMemberRoleInput>): Promise<{ member: MemberView; created: boolean }> {
  assertProjectInScope(ctx, input.projectId);
  try {
    const [rows] = await withTenant(ctx, deps.settings, (scope) => [
      upsertMember(scope, input),
      recordAuditEvent(
        scope,
        auditEntry(ctx, deps, {
          action: 'member.set_role',
          projectId: input.projectId,
          targetType: 'member',
          targetId: input.userId,
          detail: { role: input.role },
        }),
      ),
    ]);
    const row = rows[0] as NonNullable<(typeof rows)[0]>;
    return { member: memberView(input.projectId, row), created: row.created };
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound();
    throw error;
  }
}
