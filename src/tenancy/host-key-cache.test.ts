// apiKeyVerifier's second level over an in-memory TenantKeyCache: the same rules as the store path,
// trust never longer than the entry's, and nothing written for another tenant. The KV-backed cache
// through the whole app is in test/worker/edge/verified-key-kv.test.ts.
import { describe, expect, it } from 'vitest';
import { apiKeyDigest, mintApiKey } from './api-key-format.ts';
import { apiKeyVerifier } from './api-key-verifier.ts';
import { toTenantId } from './context.ts';
import type { CachedApiKey, KeyStore, StoredApiKey, TenantKeyCache } from './key-store.ts';

const HOST = toTenantId('50000000-0000-4000-8000-000000000001');
const OTHER = toTenantId('50000000-0000-4000-8000-000000000002');

async function minted(tenantId = HOST, kind: 'publishable' | 'secret' = 'secret') {
  const { key, keyId } = await mintApiKey(kind);
  const row: StoredApiKey = {
    keyId,
    tenantId,
    kind,
    sha256: apiKeyDigest(key),
    scopes: [],
    projectIds: 'all',
    revoked: false,
  };
  return { key, row };
}

function memoryCache(entries: CachedApiKey[] = []) {
  const puts: StoredApiKey[] = [];
  const cache: TenantKeyCache = {
    tenantId: HOST,
    get: async (keyId) => entries.find((entry) => entry.key.keyId === keyId),
    put: async (key) => void puts.push(key),
  };
  return { cache, puts };
}

function store(rows: StoredApiKey[]) {
  const calls: string[] = [];
  const keyStore: KeyStore = {
    findByKeyId: async (id) => {
      calls.push(id);
      return rows.filter((row) => row.keyId === id);
    },
  };
  return { keyStore, calls };
}

describe('apiKeyVerifier with the host tenant’s cache', () => {
  it('refuses a cached key of the wrong kind or revoked, without asking the store', async () => {
    const { key, row } = await minted();
    for (const cached of [
      { ...row, kind: 'publishable' as const },
      { ...row, revoked: true },
    ]) {
      const { keyStore, calls } = store([row]);
      const { cache } = memoryCache([{ key: cached, trustedUntil: Date.now() + 60_000 }]);
      expect(await apiKeyVerifier({ store: keyStore }).verify(key, undefined, cache)).toBeUndefined();
      expect(calls).toEqual([]);
    }
  });

  it('ignores an entry past its trust and trusts a live one only as long as the entry', async () => {
    let now = 1_000_000;
    const { key, row } = await minted();
    const { keyStore, calls } = store([row]);
    const expired = memoryCache([{ key: row, trustedUntil: now }]);
    expect(
      await apiKeyVerifier({ store: keyStore, now: () => now }).verify(key, undefined, expired.cache),
    ).toBeDefined();
    expect(calls).toHaveLength(1);

    const verifier = apiKeyVerifier({ store: keyStore, now: () => now });
    const live = memoryCache([{ key: row, trustedUntil: now + 5_000 }]);
    await verifier.verify(key, undefined, live.cache);
    now += 4_999;
    await verifier.verify(key); // the isolate's own cache, no level below
    expect(calls).toHaveLength(1);
    now += 1;
    await verifier.verify(key);
    expect(calls).toHaveLength(2);
  });

  it('writes a store-verified key only when it belongs to the host tenant', async () => {
    const own = await minted(HOST);
    const foreign = await minted(OTHER);
    const { keyStore } = store([own.row, foreign.row]);
    const { cache, puts } = memoryCache();
    const verifier = apiKeyVerifier({ store: keyStore });
    expect((await verifier.verify(foreign.key, undefined, cache))?.tenantId).toBe(OTHER);
    expect((await verifier.verify(own.key, undefined, cache))?.tenantId).toBe(HOST);
    expect(puts.map((key) => key.keyId)).toEqual([own.row.keyId]);
  });
});
