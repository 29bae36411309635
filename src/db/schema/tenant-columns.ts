// The columns and keys every tenant table is built from, written once. Rows are keyed by
// (tenant_id, id) with a random id, and a reference to a project always carries tenant_id, so a
// row can never point into another tenant's data (the foreign key would not match).
import { foreignKey, type PgColumn, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';

export const tenantIdColumn = () => uuid('tenant_id').notNull();
export const projectIdColumn = () => uuid('project_id').notNull();
export const rowIdColumn = () => uuid('id').notNull().defaultRandom();
export const createdAtColumn = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAtColumn = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** tenant_id, project_id, id: how every row that belongs to a project begins. */
export const projectRowColumns = () => ({
  tenantId: tenantIdColumn(),
  projectId: projectIdColumn(),
  id: rowIdColumn(),
});

/** PRIMARY KEY (tenant_id, id), named `{table}_pkey`. */
export const tenantPrimaryKey = (table: string, t: { tenantId: PgColumn; id: PgColumn }) =>
  primaryKey({ name: `${table}_pkey`, columns: [t.tenantId, t.id] });

/** A composite foreign key that cascades: `columns` reference `foreignColumns`, tenant_id first. */
export const tenantForeignKey = (
  name: string,
  columns: [PgColumn, ...PgColumn[]],
  foreignColumns: [PgColumn, ...PgColumn[]],
) => foreignKey({ name, columns, foreignColumns }).onDelete('cascade');
