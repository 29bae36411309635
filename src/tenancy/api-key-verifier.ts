// Verifies a presented API key: format and checksum first (no lookup for a typo or junk), then
// the stored hash compared in constant time. Verified keys are cached in-isolate for `ttlMs`, which
// is the revocation bound wherever a cache is involved; a store lookup sees revocation at once.
import type { Settings } from '../config/settings.ts';
import { apiKeyDigest, parseApiKey } from './api-key-format.ts';
import type { KeyStore, StoredApiKey } from './key-store.ts';

export const VERIFIED_KEY_TTL_MS = 30_000;

export interface ApiKeyVerifierOptions {
  store: KeyStore;
  /** How long a verified key is trusted without asking the store: the revocation bound. */
  ttlMs?: number;
  maxCachedKeys?: number;
  now?: () => number;
}

export interface ApiKeyVerifier {
  /** The stored key, or undefined for every kind of failure alike. */
  verify(presented: string, settings?: Settings): Promise<StoredApiKey | undefined>;
  /** Drops a key from this isolate's cache, e.g. right after revoking it here. */
  forget(keyId: string): void;
}

// Compared against when no key has the presented id, so a miss costs what a wrong secret costs.
const ABSENT_DIGEST = new Uint8Array(32);

/** Constant-time equality of two digests of the same length: no early exit on the first difference. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

export function apiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const { store, ttlMs = VERIFIED_KEY_TTL_MS, maxCachedKeys = 10_000, now = Date.now } = options;
  const cache = new Map<string, { key: StoredApiKey; expiresAt: number }>();

  return {
    async verify(presented, settings) {
      const parsed = parseApiKey(presented);
      if (!parsed) return undefined;
      const digest = apiKeyDigest(presented);
      // Cached by digest, so the isolate's cache never holds a usable key.
      const cacheKey = String.fromCharCode(...digest);
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAt > now()) return cached.key;
      if (cached) cache.delete(cacheKey);

      const candidates = await store.findByKeyId(parsed.keyId, settings);
      // Every candidate is compared (and one dummy when there is none): no early exit to time.
      let stored: StoredApiKey | undefined;
      for (const candidate of candidates) if (digestsEqual(digest, candidate.sha256)) stored = candidate;
      if (candidates.length === 0) digestsEqual(digest, ABSENT_DIGEST);
      if (!stored || stored.revoked || stored.kind !== parsed.kind) return undefined;
      if (cache.size >= maxCachedKeys) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, { key: stored, expiresAt: now() + ttlMs });
      return stored;
    },
    forget(keyId) {
      for (const [cacheKey, entry] of cache) if (entry.key.keyId === keyId) cache.delete(cacheKey);
    },
  };
}
