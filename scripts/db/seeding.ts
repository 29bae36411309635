// Seeds tenants (with their settings: origins, features, limits, JWT), projects, members (roles) and
// API keys (hashes only) from configs/tenants/provisioning.json. Goes
// through RLS like everything else: as the migration role (FORCE applies to it), one tenant context
// at a time, set with set_config(…, true). Idempotent: an upsert writes only rows that differ, so a
// second run changes nothing. Additive: rows absent from the file are left alone.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { MIGRATION_ROLE } from '../../src/db/schema/roles.ts';
import { createTenantRegistry } from '../../src/tenancy/registry.ts';
import { type ProvisionedTenant, type Provisioning, ProvisioningSchema } from '../../src/tenancy/registry-schema.ts';
import { inAdminTransaction } from './admin-transaction.ts';

export const PROVISIONING_FILE = join(import.meta.dirname, '..', '..', 'configs', 'tenants', 'provisioning.json');

export async function readProvisioning(file = PROVISIONING_FILE): Promise<Provisioning> {
  const document: unknown = JSON.parse(await readFile(file, 'utf8'));
  createTenantRegistry(document); // the registry's own checks, cross-tenant ones included
  return ProvisioningSchema.parse(document);
}

/** Upserts every tenant of `provisioning`; returns how many rows were inserted or changed. */
export async function seed(adminUrl: string, provisioning: Provisioning): Promise<number> {
  return inAdminTransaction(adminUrl, async (client) => {
    await client.query(`set local role ${MIGRATION_ROLE}`);
    let changed = 0;
    for (const tenant of provisioning.tenants) changed += await seedTenant(client, tenant);
    return changed;
  });
}

async function seedTenant(client: pg.Client, tenant: ProvisionedTenant): Promise<number> {
  await client.query(
    "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', '*', true)",
    [tenant.id],
  );
  const write = async (text: string, values: unknown[]) => (await client.query(text, values)).rowCount ?? 0;
  let changed = await write(
    `insert into tenants (id, slug, name, status, allowed_origins, features, limits, jwt)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (id) do update set slug = excluded.slug, name = excluded.name, status = excluded.status,
       allowed_origins = excluded.allowed_origins, features = excluded.features, limits = excluded.limits,
       jwt = excluded.jwt, updated_at = now()
     where (tenants.slug, tenants.name, tenants.status, tenants.allowed_origins, tenants.features, tenants.limits,
            tenants.jwt)
       is distinct from (excluded.slug, excluded.name, excluded.status, excluded.allowed_origins, excluded.features,
            excluded.limits, excluded.jwt)`,
    [
      tenant.id,
      tenant.slug,
      tenant.name,
      tenant.status,
      tenant.allowedOrigins,
      JSON.stringify(tenant.features),
      JSON.stringify(tenant.limits),
      tenant.jwt === undefined ? null : JSON.stringify(tenant.jwt),
    ],
  );
  for (const project of tenant.projects) {
    changed += await write(
      `insert into projects (tenant_id, id, name) values ($1, $2, $3)
       on conflict (tenant_id, id) do update set name = excluded.name where projects.name is distinct from excluded.name`,
      [tenant.id, project.id, project.name],
    );
  }
  for (const member of tenant.members ?? []) {
    changed += await write(
      `insert into user_project_roles (tenant_id, project_id, user_id, role) values ($1, $2, $3, $4)
       on conflict (tenant_id, project_id, user_id) do update set role = excluded.role
       where user_project_roles.role is distinct from excluded.role`,
      [tenant.id, member.projectId, member.userId, member.role],
    );
  }
  for (const key of tenant.apiKeys) {
    const allProjects = key.projects === 'all';
    changed += await write(
      `insert into api_keys (tenant_id, lookup_id, secret_hash, kind, scopes, all_projects, label, revoked_at)
       values ($1, $2, $3, $4, $5, $6, $7, case when $8::boolean then now() end)
       on conflict (tenant_id, lookup_id) do update set secret_hash = excluded.secret_hash, kind = excluded.kind,
         scopes = excluded.scopes, all_projects = excluded.all_projects, label = excluded.label,
         revoked_at = case when $8::boolean then coalesce(api_keys.revoked_at, now()) end
       where (api_keys.secret_hash, api_keys.kind, api_keys.scopes, api_keys.all_projects, api_keys.label,
              api_keys.revoked_at is not null)
         is distinct from (excluded.secret_hash, excluded.kind, excluded.scopes, excluded.all_projects, excluded.label, $8::boolean)`,
      [tenant.id, key.id, key.hash, key.kind, key.scopes, allProjects, key.label ?? null, key.revoked],
    );
    const projects = allProjects ? [] : (key.projects as string[]);
    const keyRow = `(select id from api_keys where tenant_id = $1 and lookup_id = $2)`;
    changed += await write(
      `delete from api_key_projects where tenant_id = $1 and api_key_id = ${keyRow} and project_id <> all ($3::uuid[])`,
      [tenant.id, key.id, projects],
    );
    changed += await write(
      `insert into api_key_projects (tenant_id, api_key_id, project_id)
       select $1, ${keyRow}, project_id from unnest($3::uuid[]) as project_id on conflict do nothing`,
      [tenant.id, key.id, projects],
    );
  }
  return changed;
}
