// Projects inside a tenant, and which end users hold which role in each.
import { foreignKey, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projectRole } from './enums.ts';
import { projectScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const projects = pgTable(
  'projects',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'projects_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'projects_tenant_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    ...projectScoped('projects', t.tenantId, t.id),
  ],
);

export const userProjectRoles = pgTable(
  'user_project_roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    /** The end user's subject from a verified token: an opaque string, never a login. */
    userId: text('user_id').notNull(),
    role: projectRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'user_project_roles_pkey', columns: [t.tenantId, t.projectId, t.userId] }),
    foreignKey({
      name: 'user_project_roles_project_fkey',
      columns: [t.tenantId, t.projectId],
      foreignColumns: [projects.tenantId, projects.id],
    }).onDelete('cascade'),
    ...projectScoped('user_project_roles', t.tenantId, t.projectId),
  ],
);
