// A user's project roles read for tenant resolution (src/tenancy/member-roles.ts), under the tenant's
// own context as the system principal `resolution:member-roles`: the rows of this tenant only, every project.
import { systemContext } from '../tenancy/context.ts';
import type { MemberRole, MemberRoleSource } from '../tenancy/member-roles.ts';
import { MEMBER_ROLES } from '../tenancy/registry-schema.ts';
import { rolesOfUser } from './repositories/member-records.ts';
import { withTenant } from './with-tenant.ts';

const isRole = (role: string): role is MemberRole => (MEMBER_ROLES as readonly string[]).includes(role);

export function databaseMemberRoles(): MemberRoleSource {
  return {
    async rolesOf(tenantId, userId, settings) {
      const ctx = systemContext(tenantId, 'resolution:member-roles');
      const [rows] = await withTenant(ctx, settings, (scope) => [rolesOfUser(scope, userId)]);
      return rows.filter((row) => isRole(row.role)).map((row) => ({ projectId: row.projectId, role: row.role }));
    },
  };
}
