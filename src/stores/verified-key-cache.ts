// Verified API keys of one tenant in KV: the level between the verifier's in-isolate cache and
// Postgres, used only when the host has named the tenant (src/tenancy/api-key-verifier.ts). An entry
// holds the stored hash, never the key, so the presented key is still compared in constant time.
// Each entry carries the end of its trust (verification + 60 s) and is checked against it on read:
// KV expires keys lazily and its edge caches may serve a value late, neither of which may stretch
// docs/threat-model.md T5's bound. Revocation is not propagated here; `forget` is a courtesy, not the wall.
import { z } from 'zod';
import { base64UrlFromBytes, bytesFromBase64Url } from '../tenancy/key-encoding.ts';
import type { CachedApiKey, StoredApiKey, TenantKeyCache } from '../tenancy/key-store.ts';
import { SCOPES } from '../tenancy/registry-schema.ts';
import { cacheKey, type TenantScoped } from '../tenancy/storage-names.ts';
import { tenantCache } from './tenant-cache.ts';

/** KV's minimum TTL, and the longest a revoked key may pass on a host that names its tenant. */
export const VERIFIED_KEY_TTL_SECONDS = 60;

// Whatever fails this is a miss (the store decides), never a key: an unknown scope, a hash of the
// wrong length or a missing expiry grants nothing.
const Entry = z.strictObject({
  kind: z.enum(['publishable', 'secret']),
  sha256: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  scopes: z.array(z.enum(SCOPES)),
  projectIds: z.union([z.literal('all'), z.array(z.string())]),
  trustedUntil: z.number().int(),
});
type Entry = z.infer<typeof Entry>;

export interface VerifiedKeyCache extends TenantKeyCache {
  /** Drops one key at once, e.g. right after revoking it; other locations may still hold it ≤ 60 s. */
  forget(keyId: string): Promise<void>;
}

export function verifiedKeyCache(tenant: TenantScoped, kv: KVNamespace): VerifiedKeyCache {
  const cache = tenantCache(tenant, kv);
  const keyOf = (keyId: string) => cacheKey(tenant, 'api-key', [keyId]);

  return {
    tenantId: tenant.tenantId,

    async get(keyId: string): Promise<CachedApiKey | undefined> {
      const entry = Entry.safeParse(await cache.get<unknown>(keyOf(keyId)));
      if (!entry.success) return undefined;
      const { sha256, trustedUntil, ...rest } = entry.data;
      const key = { ...rest, keyId, tenantId: tenant.tenantId, sha256: bytesFromBase64Url(sha256), revoked: false };
      return { key, trustedUntil };
    },

    async put(key: StoredApiKey, verifiedAt: number): Promise<void> {
      if (key.tenantId !== tenant.tenantId) throw new Error('a key is cached only under its own tenant');
      if (key.revoked) throw new Error('a revoked key is never cached');
      const entry: Entry = {
        kind: key.kind,
        sha256: base64UrlFromBytes(key.sha256),
        scopes: [...key.scopes],
        projectIds: key.projectIds === 'all' ? 'all' : [...key.projectIds],
        trustedUntil: verifiedAt + VERIFIED_KEY_TTL_SECONDS * 1000,
      };
      await cache.put(keyOf(key.keyId), entry, VERIFIED_KEY_TTL_SECONDS);
    },

    forget: (keyId: string) => cache.delete(keyOf(keyId)),
  };
}
