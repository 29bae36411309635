// Members: which end users (token subjects) hold which role in which project (user_project_roles).
// The admin API writes these rows; tenant resolution reads them through rolesOfUser to authorise a
// user JWT, so a removed row takes effect at the next lookup.
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { userProjectRoles } from '../schema/projects.ts';
import type { TenantScope } from '../tenant-scope.ts';

export type ProjectRole = (typeof userProjectRoles.role.enumValues)[number];

export const PROJECT_ROLES = userProjectRoles.role.enumValues;

/** Every project role `userId` holds in the scope's tenant (and the context's project reach). */
export function rolesOfUser({ db }: TenantScope, userId: string) {
  return db
    .select({ projectId: userProjectRoles.projectId, role: userProjectRoles.role })
    .from(userProjectRoles)
    .where(eq(userProjectRoles.userId, userId))
    .orderBy(asc(userProjectRoles.projectId));
}

export function projectMembers({ db }: TenantScope, projectId: string, limit: number) {
  return db
    .select({ userId: userProjectRoles.userId, role: userProjectRoles.role, createdAt: userProjectRoles.createdAt })
    .from(userProjectRoles)
    .where(eq(userProjectRoles.projectId, projectId))
    .orderBy(asc(userProjectRoles.userId))
    .limit(limit);
}

/** Adds the member or changes its role; returns the row and whether it was new. */
export function upsertMember(
  { ctx, db }: TenantScope,
  input: { projectId: string; userId: string; role: ProjectRole },
) {
  return db
    .insert(userProjectRoles)
    .values({ tenantId: ctx.tenantId, projectId: input.projectId, userId: input.userId, role: input.role })
    .onConflictDoUpdate({
      target: [userProjectRoles.tenantId, userProjectRoles.projectId, userProjectRoles.userId],
      set: { role: input.role },
    })
    .returning({
      userId: userProjectRoles.userId,
      role: userProjectRoles.role,
      createdAt: userProjectRoles.createdAt,
      // xmax = 0 only for a row this statement inserted (an update leaves the old version's xid).
      created: sql<boolean>`(xmax = 0)`,
    });
}

export function deleteMember({ db }: TenantScope, projectId: string, userId: string) {
  return db
    .delete(userProjectRoles)
    .where(and(eq(userProjectRoles.projectId, projectId), eq(userProjectRoles.userId, userId)))
    .returning({ userId: userProjectRoles.userId, role: userProjectRoles.role });
}

/** EXISTS over the membership, under the caller's RLS, for an audit row in the same batch. */
export const memberExists = (projectId: string, userId: string): SQL =>
  sql`exists (select 1 from user_project_roles where project_id = ${projectId}::uuid and user_id = ${userId})`;
