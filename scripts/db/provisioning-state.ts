// What the database holds for the tenants a provisioning document names, in the document's own
// terms, so the two can be compared field by field (scripts/db/provisioning-diff.ts). Read as the
// migration role under each tenant's context, like seeding: RLS applies to this read too.
import type pg from 'pg';
import { MIGRATION_ROLE } from '../../src/db/schema/roles.ts';
import type { Provisioning } from '../../src/tenancy/registry-schema.ts';
import { inAdminTransaction } from './admin-transaction.ts';

export interface CurrentTenant {
  slug: string;
  name: string;
  status: string;
  allowedOrigins: string[];
  features: Record<string, unknown>;
  limits: Record<string, unknown>;
  jwt: Record<string, unknown> | null;
  projects: Map<string, string>;
  keys: Map<string, CurrentKey>;
  /** `projectId userId` → role. */
  members: Map<string, string>;
}

export interface CurrentKey {
  hash: string;
  kind: string;
  scopes: string[];
  projects: 'all' | string[];
  revoked: boolean;
  label: string | null;
}

/** Tenant id → what the database has; a tenant absent from the map has no row. */
export async function readProvisioningState(
  adminUrl: string,
  provisioning: Provisioning,
): Promise<Map<string, CurrentTenant>> {
  return inAdminTransaction(adminUrl, async (client) => {
    await client.query(`set local role ${MIGRATION_ROLE}`);
    const state = new Map<string, CurrentTenant>();
    for (const { id } of provisioning.tenants) {
      const current = await readTenant(client, id);
      if (current) state.set(id, current);
    }
    return state;
  });
}

async function readTenant(client: pg.Client, id: string): Promise<CurrentTenant | undefined> {
  await client.query(
    "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', '*', true)",
    [id],
  );
  const tenant = (await client.query('select * from tenants where id = $1', [id])).rows[0];
  if (!tenant) return undefined;
  const projects = (await client.query('select id, name from projects order by id')).rows;
  const members = (await client.query('select project_id, user_id, role from user_project_roles')).rows;
  const keys = (
    await client.query(
      `select k.lookup_id, k.secret_hash, k.kind, k.scopes, k.all_projects, k.label, k.revoked_at is not null as revoked,
              array(select p.project_id::text from api_key_projects p where p.api_key_id = k.id order by p.project_id) as project_ids
         from api_keys k order by k.lookup_id`,
    )
  ).rows;
  return {
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    allowedOrigins: tenant.allowed_origins,
    features: tenant.features,
    limits: tenant.limits,
    jwt: tenant.jwt,
    projects: new Map(projects.map((p) => [p.id, p.name])),
    members: new Map(members.map((m) => [`${m.project_id} ${m.user_id}`, m.role])),
    keys: new Map(
      keys.map((k) => [
        k.lookup_id,
        {
          hash: k.secret_hash,
          kind: k.kind,
          scopes: k.scopes,
          projects: k.all_projects ? 'all' : k.project_ids,
          revoked: k.revoked,
          label: k.label,
        },
      ]),
    ),
  };
}
