// Where verified API keys are looked up. The registry-backed store serves the demo tenants now;
// a database-backed store implements the same interface once keys live in Postgres.
import type { Settings } from '../config/settings.ts';
import type { ApiKeyKind } from './api-key-format.ts';
import type { Scope, TenantId } from './context.ts';

export interface StoredApiKey {
  keyId: string;
  tenantId: TenantId;
  kind: ApiKeyKind;
  /** SHA-256 of the whole key; the key itself is never stored. */
  sha256: Uint8Array;
  scopes: readonly Scope[];
  projectIds: readonly string[] | 'all';
  /** Read on every lookup: a store answers revocation immediately, only caches lag. */
  revoked: boolean;
}

export interface KeyStore {
  /**
   * Every stored key with this id: none for an unknown id, normally one. A list, because key ids are
   * unique per tenant in the database (a global UNIQUE would leak existence); the hash decides.
   */
  findByKeyId(keyId: string, settings?: Settings): Promise<readonly StoredApiKey[]>;
}

/** A KeyStore over keys already in memory (the provisioning registry, tests). */
export function inMemoryKeyStore(keys: Iterable<StoredApiKey>): KeyStore {
  const byId = new Map<string, StoredApiKey[]>();
  for (const key of keys) byId.set(key.keyId, [...(byId.get(key.keyId) ?? []), key]);
  return {
    async findByKeyId(keyId) {
      return byId.get(keyId) ?? [];
    },
  };
}
