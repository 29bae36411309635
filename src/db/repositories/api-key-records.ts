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

// Qualified by hand: drizzle leaves a single-table query's columns unqualified, and inside this
// subquery `tenant_id` would be the grant's own column.
const projectIdsOfKey = sql<string[]>`array(
  select p.project_id from api_key_projects as p
  where p.tenant_id = api_keys.tenant_id and p.api_key_id = api_keys.id
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
  lastUsedAt: apiKeys.lastUsedAt,
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

/** Sets last_used_at of the key with this public key id, unless it was set within `intervalMs`. */
export function touchApiKeyLastUsed({ db }: TenantScope, lookupId: string, intervalMs: number) {
  return db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.lookupId, lookupId),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - make_interval(secs => ${intervalMs / 1000}))`,
      ),
    );
}

/** Locks the key while it is live (not revoked, not expired), for a reroll's transaction. */
export function lockLiveApiKey({ db }: TenantScope, id: string) {
  return db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.id, id),
        isNull(apiKeys.revokedAt),
        sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`,
      ),
    )
    .for('update');
}

/** expires_at = now + overlap, or the key's own earlier expiry if it comes first. */
export function shortenApiKeyExpiry({ db }: TenantScope, id: string, overlapSeconds: number) {
  const until = sql`now() + make_interval(secs => ${overlapSeconds})`;
  return db
    .update(apiKeys)
    .set({ expiresAt: sql`least(coalesce(${apiKeys.expiresAt}, ${until}), ${until})` })
    .where(eq(apiKeys.id, id))
    .returning({ expiresAt: apiKeys.expiresAt });
}
