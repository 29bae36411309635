import { describe, expect, it } from 'vitest';
import { apiKeyDigest, mintApiKey } from './api-key-format.ts';
import { apiKeyVerifier, digestsEqual } from './api-key-verifier.ts';
import { toTenantId } from './context.ts';
import type { KeyStore, StoredApiKey } from './key-store.ts';

const TENANT = toTenantId('40000000-0000-4000-8000-000000000001');

async function stored(kind: 'publishable' | 'secret' = 'secret') {
  const minted = await mintApiKey(kind);
  const row: StoredApiKey = {
    keyId: minted.keyId,
    tenantId: TENANT,
    kind,
    sha256: apiKeyDigest(minted.key),
    scopes: ['chat'],
    projectIds: 'all',
    revoked: false,
  };
  return { key: minted.key, row };
}

function countingStore(rows: StoredApiKey[]) {
  const calls: string[] = [];
  const store: KeyStore = {
    findByKeyId: async (id) => {
      calls.push(id);
      return rows.filter((row) => row.keyId === id).map((row) => ({ ...row }));
    },
  };
  return { store, calls };
}

describe('digestsEqual', () => {
  it('compares equal-length digests by value and refuses other lengths', () => {
    expect(digestsEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(digestsEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(digestsEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
});

describe('apiKeyVerifier', () => {
  it('verifies against the stored hash and caches only successes', async () => {
    const { key, row } = await stored();
    const { store, calls } = countingStore([row]);
    const verifier = apiKeyVerifier({ store });
    expect(await verifier.verify(`${key.slice(0, 16)}${key[16] === 'A' ? 'B' : 'A'}${key.slice(17)}`)).toBeUndefined();
    expect(calls).toHaveLength(0); // a typo fails its checksum: no lookup
    expect((await verifier.verify(key))?.keyId).toBe(row.keyId);
    expect((await verifier.verify(key))?.keyId).toBe(row.keyId);
    expect(calls).toHaveLength(1);
  });

  it('refuses a revoked key, a kind mismatch and a colliding key id with another secret', async () => {
    const { key, row } = await stored();
    expect(await apiKeyVerifier(countingStore([{ ...row, revoked: true }])).verify(key)).toBeUndefined();
    expect(await apiKeyVerifier(countingStore([{ ...row, kind: 'publishable' }])).verify(key)).toBeUndefined();
    const other = await stored();
    const impostor = { ...other.row, keyId: row.keyId };
    expect(await apiKeyVerifier(countingStore([impostor])).verify(key)).toBeUndefined();
    // Two rows with one key id (ids are unique per tenant only): the hash picks the right one.
    expect((await apiKeyVerifier(countingStore([impostor, row])).verify(key))?.sha256).toEqual(row.sha256);
  });

  it('re-asks the store once the TTL has passed', async () => {
    let now = 0;
    const { key, row } = await stored();
    const { store, calls } = countingStore([row]);
    const verifier = apiKeyVerifier({ store, ttlMs: 1_000, now: () => now });
    await verifier.verify(key);
    now = 999;
    await verifier.verify(key);
    now = 1_000;
    await verifier.verify(key);
    expect(calls).toHaveLength(2);
  });
});
