// Projects inside a tenant, and which end users hold which role in each.
import { type PgColumn, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { projectRole } from './enums.ts';
import {
  createdAtColumn,
  projectIdColumn,
  rowIdColumn,
  tenantForeignKey,
  tenantIdColumn,
  tenantPrimaryKey,
} from './tenant-columns.ts';
import { projectScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const projects = pgTable(
  'projects',
  {
    tenantId: tenantIdColumn(),
    id: rowIdColumn(),
    name: text('name').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('projects', t),
    tenantForeignKey('projects_tenant_fkey', [t.tenantId], [tenants.id]),
    ...projectScoped('projects', t.tenantId, t.id),
  ],
);

/** `{table}_project_fkey`: (tenant_id, project_id) → projects, cascading. A row's project is its tenant's. */
export const projectForeignKey = (table: string, t: { tenantId: PgColumn; projectId: PgColumn }) =>
  tenantForeignKey(`${table}_project_fkey`, [t.tenantId, t.projectId], [projects.tenantId, projects.id]);

export const userProjectRoles = pgTable(
  'user_project_roles',
  {
    tenantId: tenantIdColumn(),
    projectId: projectIdColumn(),
    /** The end user's subject from a verified token: an opaque string, never a login. */
    userId: text('user_id').notNull(),
    role: projectRole('role').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    primaryKey({ name: 'user_project_roles_pkey', columns: [t.tenantId, t.projectId, t.userId] }),
    projectForeignKey('user_project_roles', t),
    ...projectScoped('user_project_roles', t.tenantId, t.projectId),
  ],
);
