import { describe, expect, it } from 'vitest';
import { apiKeyDigest, formatApiKey, mintApiKey } from './api-key-format.ts';
import { apiKeyVerifier, digestsEqual, REFUSED_KEY_TTL_MS, VERIFIED_KEY_TTL_MS } from './api-key-verifier.ts';
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
  it('verifies against the stored hash and caches it; a typo costs no lookup', async () => {
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

describe('apiKeyVerifier: refused keys (threat model T43)', () => {
  it('remembers a refused key for REFUSED_KEY_TTL_MS, by digest: a key created meanwhile fails no longer', async () => {
    expect(REFUSED_KEY_TTL_MS).toBe(30_000);
    let now = 0;
    const { key, row } = await stored();
    const rows: StoredApiKey[] = [];
    const { store, calls } = countingStore(rows);
    const verifier = apiKeyVerifier({ store, now: () => now });
    expect(await verifier.verify(key)).toBeUndefined();
    rows.push(row); // the key is created right after a failed lookup
    now = REFUSED_KEY_TTL_MS - 1;
    expect(await verifier.verify(key)).toBeUndefined(); // the stated bound, not a bug
    expect(calls).toHaveLength(1);
    now = REFUSED_KEY_TTL_MS;
    expect((await verifier.verify(key))?.keyId).toBe(row.keyId);
    expect(calls).toHaveLength(2);
  });

  it('keeps refusals apart by digest: another secret under the same id is still looked up', async () => {
    const { key, row } = await stored();
    const { store, calls } = countingStore([row]);
    const verifier = apiKeyVerifier({ store });
    const [, id = '', secret = ''] = key.split('_');
    const wrongSecret = formatApiKey(
      'secret',
      id,
      secret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
    );
    expect(await verifier.verify(wrongSecret)).toBeUndefined();
    expect((await verifier.verify(key))?.keyId).toBe(row.keyId);
    expect(calls).toHaveLength(2);
  });

  it('forget(keyId) drops a refusal too, e.g. right after creating that key', async () => {
    const { key, row } = await stored();
    const rows: StoredApiKey[] = [];
    const verifier = apiKeyVerifier(countingStore(rows));
    expect(await verifier.verify(key)).toBeUndefined();
    rows.push(row);
    verifier.forget(row.keyId);
    expect((await verifier.verify(key))?.keyId).toBe(row.keyId);
  });

  it('holds at most maxCachedKeys refusals, dropping the oldest', async () => {
    const { store, calls } = countingStore([]);
    const verifier = apiKeyVerifier({ store, maxCachedKeys: 2 });
    const keys = await Promise.all([1, 2, 3].map(async () => (await mintApiKey('secret')).key));
    for (const key of keys) await verifier.verify(key);
    await verifier.verify(keys[2] as string);
    await verifier.verify(keys[1] as string);
    expect(calls).toHaveLength(3);
    await verifier.verify(keys[0] as string); // dropped: looked up again
    expect(calls).toHaveLength(4);
  });

  it('says what a key would cost: none (answered here), known (verified here before) or unknown', async () => {
    let now = 0;
    const { key, row } = await stored();
    const verifier = apiKeyVerifier({ store: countingStore([row]).store, now: () => now });
    expect(verifier.lookupNeed('not a key')).toBe('none');
    expect(verifier.lookupNeed(key)).toBe('unknown');
    await verifier.verify(key);
    expect(verifier.lookupNeed(key)).toBe('none');
    now = VERIFIED_KEY_TTL_MS;
    expect(verifier.lookupNeed(key)).toBe('known'); // expired here, but verified before: not a forgery
    const forged = (await mintApiKey('secret')).key;
    await verifier.verify(forged);
    expect(verifier.lookupNeed(forged)).toBe('none');
    now += REFUSED_KEY_TTL_MS;
    expect(verifier.lookupNeed(forged)).toBe('unknown');
  });

  it('a known key that the store then refuses (revoked) is no longer known', async () => {
    let now = 0;
    const { key, row } = await stored();
    const rows = [row];
    const verifier = apiKeyVerifier({ store: countingStore(rows).store, now: () => now });
    await verifier.verify(key);
    rows[0] = { ...row, revoked: true };
    now = VERIFIED_KEY_TTL_MS;
    expect(await verifier.verify(key)).toBeUndefined();
    now += REFUSED_KEY_TTL_MS;
    expect(verifier.lookupNeed(key)).toBe('unknown');
  });
});
