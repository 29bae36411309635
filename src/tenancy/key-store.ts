// Where API keys are looked up. The Worker's store is Postgres (src/db/database-key-store.ts); the
// tests have an in-memory one (test/worker/helpers/in-memory-key-store.ts). A TenantKeyCache is the
// optional level in between: verified keys of one tenant, shared between isolates (KV,
// src/stores/verified-key-cache.ts).
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

/** A key a TenantKeyCache holds, and the time (ms since the epoch) after which it must not be trusted. */
export interface CachedApiKey {
  key: StoredApiKey;
  trustedUntil: number;
}

/**
 * Verified keys of one tenant, kept outside the isolate. Asked only when the request has already
 * named that tenant (its host), so a key is never read or written under a tenant it may not belong
 * to; a cache, so any failure means "ask the store".
 */
export interface TenantKeyCache {
  readonly tenantId: TenantId;
  get(keyId: string): Promise<CachedApiKey | undefined>;
  /** `verifiedAt`: when the store lookup that verified the key began; its trust is counted from there. */
  put(key: StoredApiKey, verifiedAt: number): Promise<void>;
}
