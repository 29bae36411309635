// docs/threat-model.md T25–T26 on Miniflare's real KV: keys only under `t:{tenantId}:`, listings and purges
// that never cross tenants, values checked on read, TTLs on everything, invalidation by generation,
// and verified API keys held as hashes under their own tenant only.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/domain/api-error.ts';
import { retrievalCache } from '../../../src/stores/retrieval-cache.ts';
import { purgeTenantCache, tenantCache } from '../../../src/stores/tenant-cache.ts';
import { VERIFIED_KEY_TTL_SECONDS, verifiedKeyCache } from '../../../src/stores/verified-key-cache.ts';
import { apiKeyDigest, mintApiKey, storedHashOf } from '../../../src/tenancy/api-key-format.ts';
import type { StoredApiKey } from '../../../src/tenancy/key-store.ts';
import { cacheKey, tenantCachePrefix } from '../../../src/tenancy/storage-names.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

const kv = env.CACHE;
const embedder = { id: 'test:model', dimension: 384 };

/** Two tenants whose ids differ only at the end ("tenant 1" and "tenant 10"). */
function neighbours() {
  const stem = crypto.randomUUID().slice(0, -2);
  return [tenantContext(`${stem}01`), tenantContext(`${stem}10`)] as const;
}

async function keysUnder(prefix: string) {
  return (await kv.list({ prefix })).keys;
}

describe('tenant cache (KV)', () => {
  it('stores under t:{tenantId}: with an expiry on every key', async () => {
    const [a] = neighbours();
    const cache = tenantCache(a, kv);
    await cache.put(cacheKey(a, 'retrieval', ['q1']), { ids: ['x'] }, 300);
    expect(await cache.get(cacheKey(a, 'retrieval', ['q1']))).toEqual({ ids: ['x'] });
    const keys = await keysUnder(tenantCachePrefix(a));
    expect(keys.map((k) => k.name)).toEqual([`t:${a.tenantId}:retrieval:q1`]);
    expect(keys.every((k) => typeof k.expiration === 'number')).toBe(true);
    await expect(cache.put(cacheKey(a, 'retrieval', ['q2']), 1, 10)).rejects.toThrow(/TTL/);
    await expect(cache.put(cacheKey(a, 'retrieval', ['q2']), 1, 10 ** 9)).rejects.toThrow(/TTL/);
  });

  it('25: a listing or purge for one tenant never touches a neighbour', async () => {
    const [one, ten] = neighbours();
    for (const ctx of [one, ten]) {
      for (let i = 0; i < 25; i++) await tenantCache(ctx, kv).put(cacheKey(ctx, 'retrieval', [`q${i}`]), i, 300);
    }
    expect((await keysUnder(tenantCachePrefix(one))).every((k) => k.name.startsWith(`t:${one.tenantId}:`))).toBe(true);
    // A page size of 10 makes the purge follow the cursor across three pages.
    expect(await purgeTenantCache(one, kv, 10)).toBe(25);
    expect(await keysUnder(tenantCachePrefix(one))).toHaveLength(0);
    expect(await keysUnder(tenantCachePrefix(ten))).toHaveLength(25);
  });

  it("refuses another tenant's key outright", async () => {
    const [a, b] = neighbours();
    const cache = tenantCache(a, kv);
    await expect(cache.get(cacheKey(b, 'retrieval', ['x']))).rejects.toThrow(/another tenant/);
    await expect(cache.put(cacheKey(b, 'retrieval', ['x']), 1, 60)).rejects.toThrow(/another tenant/);
    expect(await keysUnder(tenantCachePrefix(b))).toHaveLength(0);
  });

  it('26: a value carrying another tenant id is a miss and is purged', async () => {
    const [a, b] = neighbours();
    const key = cacheKey(a, 'retrieval', ['planted']);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const planted of [JSON.stringify({ tenantId: b.tenantId, value: 'secret of b' }), 'not json', '{}']) {
      await kv.put(key, planted, { expirationTtl: 60 });
      expect(await tenantCache(a, kv).get(key)).toBeUndefined();
      expect(await kv.get(key)).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });

  it('retrieval results are read through and invalidated by a new generation', async () => {
    const [a] = neighbours();
    const cache = retrievalCache(a, kv);
    const query = { projectId: crypto.randomUUID(), query: 'refund policy', topK: 5, embedder };
    const compute = vi.fn(async () => [{ id: 'doc#0', score: 0.9 }]);
    const first = await cache.readThrough(query, compute);
    expect(first).toMatchObject({ matches: [{ id: 'doc#0', score: 0.9 }], fromCache: false });
    // Nothing is stored until the caller has verified the project and says so.
    expect((await cache.readThrough(query, compute)).fromCache).toBe(false);
    await first.remember();
    expect(await cache.readThrough(query, compute)).toMatchObject({
      matches: [{ id: 'doc#0', score: 0.9 }],
      fromCache: true,
    });
    expect(compute).toHaveBeenCalledTimes(2);
    expect(await cache.invalidate()).toBe(true);
    await cache.readThrough(query, compute);
    expect(compute).toHaveBeenCalledTimes(3);
    const keys = await keysUnder(tenantCachePrefix(a));
    expect(keys.every((k) => typeof k.expiration === 'number')).toBe(true);
  });

  it('retrieval results of a project out of the principal’s reach are not found', async () => {
    const project = crypto.randomUUID();
    const limited = tenantContext(crypto.randomUUID(), { projectIds: [crypto.randomUUID()] });
    const error = await retrievalCache(limited, kv)
      .readThrough({ projectId: project, query: 'q', topK: 1, embedder }, async () => [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('not_found');
  });

  it('verified keys are cached for at most 60 s, under their own tenant only, hashes not keys', async () => {
    const [a, b] = neighbours();
    const cache = verifiedKeyCache(a, kv);
    const minted = await mintApiKey('secret');
    const key: StoredApiKey = {
      keyId: minted.keyId,
      tenantId: a.tenantId,
      kind: 'secret',
      sha256: apiKeyDigest(minted.key),
      scopes: ['retrieval'],
      projectIds: 'all',
      revoked: false,
    };
    const verifiedAt = Date.now();
    await cache.put(key, verifiedAt);
    expect(await cache.get(minted.keyId)).toEqual({ key, trustedUntil: verifiedAt + VERIFIED_KEY_TTL_SECONDS * 1000 });
    expect(await verifiedKeyCache(b, kv).get(minted.keyId)).toBeUndefined();
    const [stored] = await keysUnder(tenantCachePrefix(a));
    expect(stored?.expiration).toBeLessThanOrEqual(Math.ceil(verifiedAt / 1000) + VERIFIED_KEY_TTL_SECONDS + 1);
    expect(await kv.get(stored?.name ?? '')).not.toContain(minted.key.split('_')[2]);
    await expect(verifiedKeyCache(b, kv).put(key, verifiedAt)).rejects.toThrow(/own tenant/);
    await expect(cache.put({ ...key, revoked: true }, verifiedAt)).rejects.toThrow(/revoked/);
    await cache.forget(minted.keyId);
    expect(await cache.get(minted.keyId)).toBeUndefined();
  });

  it('a verified-key entry that is not one this module wrote is a miss, never a key', async () => {
    const [a] = neighbours();
    const minted = await mintApiKey('secret');
    const key = cacheKey(a, 'api-key', [minted.keyId]);
    const good = {
      kind: 'secret',
      sha256: (await storedHashOf(minted.key)).slice(7),
      scopes: ['chat'],
      projectIds: 'all',
    };
    for (const value of [
      { ...good }, // no expiry
      { ...good, trustedUntil: Date.now() + 60_000, scopes: ['chat', 'superuser'] },
      { ...good, trustedUntil: Date.now() + 60_000, sha256: 'short' },
      { ...good, trustedUntil: Date.now() + 60_000, kind: 'root' },
    ]) {
      await kv.put(key, JSON.stringify({ tenantId: a.tenantId, value }), { expirationTtl: 60 });
      expect(await verifiedKeyCache(a, kv).get(minted.keyId)).toBeUndefined();
    }
  });
});
