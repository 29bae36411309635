// API keys inside a tenant's context: the admin API's reads and writes. Resolution before the
// tenant is known never comes here (bulkhead_auth.resolve_api_key does that). No read returns the
// stored hash: what leaves this module is what a tenant admin may see.
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { apiKeys } from '../schema/api-keys.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface NewApiKeyRecord {
  id: string;
  lookupId: string;
  secretHash: string;
  kind: 'publishable' | 'secret';
  scopes: string[];
  /** 'all', or the projects the key reaches (each must be the tenant's: the foreign key decides). */
  projects: 'all' | readonly string[];
  label: string | null;
  expiresAt: Date | null;
}

export function insertApiKeyRecord({ ctx, db }: TenantScope, record: NewApiKeyRecord) {
  return db
    .insert(apiKeys)
    .values({
      tenantId: ctx.tenantId,
      id: record.id,
      lookupId: record.lookupId,
      secretHash: record.secretHash,
      kind: record.kind,
      scopes: record.scopes,
      allProjects: record.projects === 'all',
      label: record.label,
      expiresAt: record.expiresAt,
    })
    .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
}

/** One statement whatever the count (an empty list inserts nothing), so it can join a batch. */
export function insertApiKeyProjects({ ctx, db }: TenantScope, apiKeyId: string, projects: 'all' | readonly string[]) {
  const ids = projects === 'all' ? [] : [...projects];
  return db.execute(sql`
    insert into api_key_projects (tenant_id, api_key_id, project_id)
    select ${ctx.tenantId}::uuid, ${apiKeyId}::uuid, project_id
    from unnest(${`{${ids.join(',')}}`}::uuid[]) as project_id`);
}

const projectIdsOfKey = sql<string[]>`array(
  select p.project_id from api_key_projects as p
  where p.tenant_id = ${apiKeys.tenantId} and p.api_key_id = ${apiKeys.id}
  order by p.project_id)`;

/** What a tenant admin sees of a key: never the hash. */
export const apiKeyListColumns = {
  id: apiKeys.id,
  lookupId: apiKeys.lookupId,
  kind: apiKeys.kind,
  scopes: apiKeys.scopes,
  allProjects: apiKeys.allProjects,
  projectIds: projectIdsOfKey,
  label: apiKeys.label,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

export function listApiKeyRecords({ db }: TenantScope, limit: number) {
  return db.select(apiKeyListColumns).from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id)).limit(limit);
}

export function findApiKeyRecord({ db }: TenantScope, id: string) {
  return db.select(apiKeyListColumns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
}

/** Marks a live key revoked; returns the row only when this statement revoked it. */
export function revokeApiKeyRecord({ db }: TenantScope, id: string) {
  return db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, lookupId: apiKeys.lookupId, revokedAt: apiKeys.revokedAt });
}

/** EXISTS over this tenant's key `id` (RLS decides the tenant), for audit rows in the same batch. */
export function apiKeyExists(id: string): SQL {
  return sql`exists (select 1 from api_keys where id = ${id}::uuid)`;
}
