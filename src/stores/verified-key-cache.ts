// Verified API keys, cached per tenant so the edge can skip the database for a key it has just
// seen. It is usable once the tenant is known (e.g. named by the host); the entry keeps the stored
// hash, so the presented key is still compared in constant time on every request.
// Revocation: the database path is immediate; through this cache a revoked key can pass for at
// most its TTL — 60 s, KV's minimum and SECURITY.md 5's bound — so `forget` is a courtesy, not the wall.
import type { ResolvedApiKey } from '../db/api-key-resolution.ts';
import { cacheKey, type TenantScoped } from '../tenancy/storage-names.ts';
import { tenantCache } from './tenant-cache.ts';

export const VERIFIED_KEY_TTL_SECONDS = 60;

type CachedKey = Omit<ResolvedApiKey, 'tenantId'>;

export function verifiedKeyCache(tenant: TenantScoped, kv: KVNamespace) {
  const cache = tenantCache(tenant, kv);
  const keyOf = (keyId: string) => cacheKey(tenant, 'api-key', [keyId]);

  return {
    async get(keyId: string): Promise<ResolvedApiKey | undefined> {
      const cached = await cache.get<CachedKey>(keyOf(keyId));
      return cached && { ...cached, tenantId: tenant.tenantId };
    },

    async put(key: ResolvedApiKey): Promise<void> {
      if (key.tenantId !== tenant.tenantId) throw new Error('a key is cached only under its own tenant');
      const { tenantId: _, ...rest } = key;
      await cache.put(keyOf(key.keyId), rest, VERIFIED_KEY_TTL_SECONDS);
    },

    forget: (keyId: string) => cache.delete(keyOf(keyId)),
  };
}
