// Resolving an API key before any tenant is known: a query that runs without a tenant context
// (like those of src/db/tenant-resolution.ts), and it can only call bulkhead_auth.resolve_api_key (SECURITY DEFINER, pinned
// search_path), which returns live keys with that key id and only what resolution needs, with the key's tenant settings
// so that a cold key costs one lookup. The
// caller compares the stored hash in constant time; a key id is random, but if two tenants ever
// shared one, both rows come back and only the matching hash wins.
import type { Settings } from '../config/settings.ts';
import { type TenantId, toTenantId } from '../tenancy/context.ts';
import { httpSql } from './neon-client.ts';
import { databaseUnavailable, isHttpDriverFailure, isTransientSqlState } from './postgres-errors.ts';

export interface ResolvedApiKey {
  keyId: string;
  tenantId: TenantId;
  kind: 'publishable' | 'secret';
  scopes: string[];
  projectIds: string[] | 'all';
  /** `sha256:` + base64url digest of the whole key (src/tenancy/api-key-format.ts). */
  secretHash: string;
  tenantStatus: 'active' | 'suspended' | 'deleting' | 'erased';
  /** The key's tenant as bulkhead_auth.tenant_document returns it (src/tenancy/tenant-document.ts). */
  tenant: unknown;
  platformMaintenance: boolean;
}

interface Row {
  key_id: string;
  tenant_id: string;
  kind: ResolvedApiKey['kind'];
  scopes: string[];
  all_projects: boolean;
  project_ids: string[];
  secret_hash: string;
  tenant_status: ResolvedApiKey['tenantStatus'];
  tenant: unknown;
  platform_maintenance: boolean;
}

/** Live (not revoked, not expired) keys with this key id: usually one, none for an unknown id. */
export async function resolveApiKey(settings: Settings, keyId: string): Promise<ResolvedApiKey[]> {
  let rows: Row[];
  try {
    rows = (await httpSql(settings).query('select * from bulkhead_auth.resolve_api_key($1)', [keyId])) as Row[];
  } catch (error) {
    throw isHttpDriverFailure(error) || isTransientSqlState(error) ? databaseUnavailable(error) : error;
  }
  return rows.map((row) => ({
    keyId: row.key_id,
    tenantId: toTenantId(row.tenant_id),
    kind: row.kind,
    scopes: row.scopes,
    projectIds: row.all_projects ? 'all' : row.project_ids,
    secretHash: row.secret_hash,
    tenantStatus: row.tenant_status,
    tenant: row.tenant,
    platformMaintenance: row.platform_maintenance,
  }));
}
