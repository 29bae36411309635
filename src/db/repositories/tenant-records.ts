// The tenant's own row (the registry, drizzle/0007_tenant_registry.sql), read and written under
// that tenant's context: the tenants_tenant_* policies let a context reach its one row and no other.
// Only operator services write here (src/services/tenants/); column grants leave id, slug and
// created_at unwritable after insert, and there is no DELETE: a tenant ends as a status.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { tenants } from '../schema/tenants.ts';
import type { TenantScope } from '../tenant-scope.ts';

export type TenantRow = typeof tenants.$inferSelect;

export interface NewTenantRow {
  slug: string;
  name: string;
  allowedOrigins: string[];
  features: Record<string, boolean>;
  limits: Record<string, number>;
  jwt: Record<string, unknown> | null;
}

export function insertTenantRecord({ ctx, db }: TenantScope, row: NewTenantRow) {
  return db
    .insert(tenants)
    .values({ id: ctx.tenantId, ...row, status: 'active' })
    .returning();
}

export function readTenantRecord({ ctx, db }: TenantScope) {
  return db.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
}

export type TenantSettingsPatch = Partial<Pick<TenantRow, 'name' | 'allowedOrigins' | 'features' | 'limits' | 'jwt'>>;

export function updateTenantSettings({ ctx, db }: TenantScope, patch: TenantSettingsPatch) {
  return db
    .update(tenants)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(tenants.id, ctx.tenantId))
    .returning();
}

/** Moves the status only from one of `from`: no row back means the tenant was not in such a state. */
export function moveTenantStatus(
  { ctx, db }: TenantScope,
  to: TenantRow['status'],
  from: readonly TenantRow['status'][],
) {
  return db
    .update(tenants)
    .set({ status: to, updatedAt: sql`now()` })
    .where(and(eq(tenants.id, ctx.tenantId), inArray(tenants.status, [...from])))
    .returning();
}

export function setTenantLock({ ctx, db }: TenantScope, locked: boolean) {
  return db.update(tenants).set({ locked, updatedAt: sql`now()` }).where(eq(tenants.id, ctx.tenantId)).returning();
}
