// API keys as the Worker looks them up: in Postgres, through bulkhead_auth.resolve_api_key (the one
// lookup before a tenant is known). Revocation is immediate here — the function returns only live
// keys — and lags only through the verifier's caches (≤ 60 s, src/tenancy/api-key-verifier.ts).
import type { Settings } from '../config/settings.ts';
import type { Scope } from '../tenancy/context.ts';
import { bytesFromBase64Url } from '../tenancy/key-encoding.ts';
import type { KeyStore, StoredApiKey } from '../tenancy/key-store.ts';
import { SCOPES } from '../tenancy/registry-schema.ts';
import type { TenantLookup } from '../tenancy/tenant-directory.ts';
import { resolveApiKey } from './api-key-resolution.ts';
import { parsedTenant } from './tenant-resolution.ts';

const HASH_PREFIX = 'sha256:';
const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

export interface DatabaseKeyStoreOptions {
  /** Receives each returned key's tenant, read in the same lookup (src/tenancy/tenant-directory.ts prime). */
  onTenant?: (lookup: TenantLookup, fetchedAt: number) => void;
}

export function databaseKeyStore(options: DatabaseKeyStoreOptions = {}): KeyStore {
  return {
    async findByKeyId(keyId: string, settings?: Settings): Promise<StoredApiKey[]> {
      if (!settings) throw new Error('databaseKeyStore needs the Worker settings to reach Postgres');
      const fetchedAt = Date.now();
      const rows = await resolveApiKey(settings, keyId);
      for (const row of rows) {
        options.onTenant?.(
          { tenant: parsedTenant(row.tenant), platformMaintenance: row.platformMaintenance },
          fetchedAt,
        );
      }
      return rows
        .filter((row) => row.secretHash.startsWith(HASH_PREFIX))
        .map((row) => ({
          keyId,
          tenantId: row.tenantId,
          kind: row.kind,
          sha256: bytesFromBase64Url(row.secretHash.slice(HASH_PREFIX.length)),
          // Unknown scope strings grant nothing (fail closed), whatever a row holds.
          scopes: row.scopes.filter(isScope),
          projectIds: row.projectIds,
          revoked: false,
        }));
    },
  };
}
