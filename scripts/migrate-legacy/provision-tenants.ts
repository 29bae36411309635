// Creates the plan's new tenants and their default projects with the control plane's own
// provisioning code (scripts/db/seeding.ts: an idempotent upsert, so a re-run changes nothing).
// Tenants the plan names by id exist already: they are checked, never provisioned again.
import type pg from 'pg';
import { type Provisioning, ProvisioningSchema } from '../../src/tenancy/registry-schema.ts';
import { seed } from '../db/seeding.ts';
import type { TargetTenant } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { inTenantTransaction } from './tenant-transaction.ts';

export function provisioningOf(plan: Plan, tenants: TargetTenant[]): Provisioning | undefined {
  const created = tenants.filter((t) => t.provisioned);
  if (created.length === 0) return undefined;
  const result = ProvisioningSchema.safeParse({
    tenants: created.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: 'active',
      ...plan.tenantDefaults,
      projects: [{ id: t.projectId, name: t.projectName }],
      apiKeys: [],
    })),
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    const [, , ...path] = issue?.path ?? [];
    throw new Error(`tenantDefaults.${path.join('.')}: ${issue?.message ?? 'is not valid'}`);
  }
  return result.data;
}

export async function provisionTenants(plan: Plan, adminUrl: string, target: pg.Client, tenants: TargetTenant[]) {
  for (const tenant of tenants.filter((t) => !t.provisioned)) await assertProjectExists(target, tenant);
  const provisioning = provisioningOf(plan, tenants);
  return provisioning ? seed(adminUrl, provisioning) : 0;
}

async function assertProjectExists(target: pg.Client, tenant: TargetTenant) {
  const found = await inTenantTransaction(target, tenant.id, async (tx) =>
    tx.query('select 1 from projects where id = $1', [tenant.projectId]),
  );
  if (found.rowCount === 0) {
    throw new Error(
      `tenant ${tenant.slug} (${tenant.id}) has no project ${tenant.projectId}: the plan names an existing one`,
    );
  }
}
