// Verifies a presented API key: format and checksum first (no lookup for a typo or junk), then the
// stored hash compared in constant time. Three levels, each asked only when the one before has no
// answer, with the same rules and the same `undefined` for every failure whichever level answered:
//   1. this isolate's cache, by digest, for `ttlMs` (VERIFIED_KEY_TTL_MS, 30 s);
//   2. the host tenant's KV cache (src/stores/verified-key-cache.ts, 60 s), only when the request's
//      host already named the tenant; an entry counts only if its hash matches the presented key;
//   3. the KeyStore (Postgres), which sees revocation at once.
// Revocation bound (docs/threat-model.md T5): wherever the database is asked, a revoked key fails at once.
// Caches lag by at most their TTL counted from the database lookup that verified the key (which
// preceded the revocation): 30 s in an isolate, 60 s through KV on a host that names the key's
// tenant. An isolate that took the key from KV trusts it no longer than the KV entry, so the two
// never add up: a revoked key passes for at most 60 s.
// Refused keys (docs/threat-model.md T43): a key the store refused (no such key, wrong secret,
// revoked, wrong kind) is remembered in the isolate by digest for REFUSED_KEY_TTL_MS (30 s), so the
// same forged key again costs no lookup. Creation bound: a key presented, refused, then created
// fails in that isolate for at most 30 s after the refused lookup (forget(keyId) ends it at once
// there); a key first presented after it was created is never affected. Each of the isolate's
// caches holds at most maxCachedKeys (10,000) entries; the oldest goes first, which only costs a
// lookup. lookupNeed() tells the edge's throttle (src/http/key-lookup-throttle.ts) what a key would
// cost before resolution: nothing, a lookup for a key this isolate has verified, or an unknown one.
import type { Settings } from '../config/settings.ts';
import { type ApiKeyKind, apiKeyDigest, parseApiKey } from './api-key-format.ts';
import type { CachedApiKey, KeyStore, StoredApiKey, TenantKeyCache } from './key-store.ts';

export const VERIFIED_KEY_TTL_MS = 30_000;
export const REFUSED_KEY_TTL_MS = 30_000;

/**
 * What verifying a key would cost, asked before resolution: `none` (this isolate answers: malformed,
 * or verified or refused within its TTL), `known` (a lookup, for a key this isolate has verified and
 * the store has not refused since: not a forgery), `unknown` (a lookup for a key never verified here).
 */
export type KeyLookupNeed = 'none' | 'known' | 'unknown';

export interface ApiKeyVerifierOptions {
  store: KeyStore;
  /** How long a verified key is trusted in this isolate without asking again: the revocation bound. */
  ttlMs?: number;
  /** How long a refused key is refused in this isolate without asking again: the creation bound. */
  refusedTtlMs?: number;
  /** Entries in each of the isolate's caches (verified, refused, known). */
  maxCachedKeys?: number;
  now?: () => number;
}

export interface ApiKeyVerifier {
  /**
   * The stored key, or undefined for every kind of failure alike. `hostKeys`: the cache of the tenant
   * the host named, if any; a key of another tenant is never served from it nor written to it.
   */
  verify(presented: string, settings?: Settings, hostKeys?: TenantKeyCache): Promise<StoredApiKey | undefined>;
  /** What verifying `presented` would cost now; reads only this isolate's memory. */
  lookupNeed(presented: string): KeyLookupNeed;
  /** Drops a key from this isolate's caches, e.g. right after revoking or creating it here. */
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

/** The same rules whichever level produced the key: right kind, not revoked. */
const usable = (key: StoredApiKey, kind: ApiKeyKind) => (key.revoked || key.kind !== kind ? undefined : key);

export function apiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const {
    store,
    ttlMs = VERIFIED_KEY_TTL_MS,
    refusedTtlMs = REFUSED_KEY_TTL_MS,
    maxCachedKeys = 10_000,
    now = Date.now,
  } = options;
  // All three are keyed by digest, so the isolate never holds a usable key.
  const cache = bounded<{ key: StoredApiKey; expiresAt: number }>(maxCachedKeys);
  const refused = bounded<{ keyId: string; expiresAt: number }>(maxCachedKeys);
  // Digests this isolate has verified and the store has not refused since. No TTL: it grants
  // nothing, it only tells the throttle that a lookup is not for a forgery.
  const known = bounded<string>(maxCachedKeys);
  const remember = (cacheKey: string, key: StoredApiKey, expiresAt: number) => {
    cache.set(cacheKey, { key, expiresAt });
    refused.delete(cacheKey);
    known.set(cacheKey, key.keyId);
  };
  const refuse = (cacheKey: string, keyId: string, at: number) => {
    refused.set(cacheKey, { keyId, expiresAt: at + refusedTtlMs });
    known.delete(cacheKey);
    return undefined;
  };

  return {
    async verify(presented, settings, hostKeys) {
      const parsed = parseApiKey(presented);
      if (!parsed) return undefined;
      const digest = apiKeyDigest(presented);
      // Read before any lookup, so every trust period counts from no later than the data it rests on.
      const verifiedAt = now();
      const cacheKey = String.fromCharCode(...digest);
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAt > verifiedAt) return cached.key;
      if (cached) cache.delete(cacheKey);
      const refusal = refused.get(cacheKey);
      if (refusal && refusal.expiresAt > verifiedAt) return undefined;
      if (refusal) refused.delete(cacheKey);

      const shared = hostKeys && (await readShared(hostKeys, parsed.keyId, verifiedAt));
      // A KV entry can only vouch for the key whose hash it holds; on a mismatch the store decides,
      // so a stale or planted entry can neither let a wrong key in nor lock the right one out.
      if (shared && digestsEqual(digest, shared.key.sha256)) {
        const key = usable(shared.key, parsed.kind);
        if (key) remember(cacheKey, key, Math.min(verifiedAt + ttlMs, shared.trustedUntil));
        return key;
      }

      const candidates = await store.findByKeyId(parsed.keyId, settings);
      // Every candidate is compared (and one dummy when there is none): no early exit to time.
      let stored: StoredApiKey | undefined;
      for (const candidate of candidates) if (digestsEqual(digest, candidate.sha256)) stored = candidate;
      if (candidates.length === 0) digestsEqual(digest, ABSENT_DIGEST);
      const key = stored && usable(stored, parsed.kind);
      // Only the store's refusals are remembered: it is the authority, and sees revocation at once.
      if (!key) return refuse(cacheKey, parsed.keyId, verifiedAt);
      remember(cacheKey, key, verifiedAt + ttlMs);
      // Only under its own tenant: another tenant's key at this host goes on to today's 403.
      if (hostKeys && key.tenantId === hostKeys.tenantId) await writeShared(hostKeys, key, verifiedAt, shared);
      return key;
    },
    lookupNeed(presented) {
      if (!parseApiKey(presented)) return 'none';
      const cacheKey = String.fromCharCode(...apiKeyDigest(presented));
      const at = now();
      const live = (entry: { expiresAt: number } | undefined) => entry !== undefined && entry.expiresAt > at;
      if (live(cache.peek(cacheKey)) || live(refused.peek(cacheKey))) return 'none';
      return known.peek(cacheKey) === undefined ? 'unknown' : 'known';
    },
    forget(keyId) {
      cache.deleteWhere((entry) => entry.key.keyId === keyId);
      refused.deleteWhere((entry) => entry.keyId === keyId);
    },
  };
}

/** A Map of at most `max` entries: `get` and `set` make an entry the newest, and the oldest goes first. */
function bounded<V>(max: number) {
  const map = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    /** Reads without making the entry the newest. */
    peek: (key: string): V | undefined => map.get(key),
    set(key: string, value: V) {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as string);
    },
    delete: (key: string) => map.delete(key),
    deleteWhere(test: (value: V) => boolean) {
      for (const [key, value] of map) if (test(value)) map.delete(key);
    },
  };
}

// The KV level is a cache, not a wall: when it fails, the store answers and the failure is logged.

async function readShared(hostKeys: TenantKeyCache, keyId: string, at: number): Promise<CachedApiKey | undefined> {
  try {
    const shared = await hostKeys.get(keyId);
    return shared && shared.trustedUntil > at ? shared : undefined;
  } catch (error) {
    warn('api_key_cache.unavailable', hostKeys, { operation: 'get', error });
    return undefined;
  }
}

async function writeShared(hostKeys: TenantKeyCache, key: StoredApiKey, verifiedAt: number, replaced?: CachedApiKey) {
  // The store verified a key whose live entry held another hash: stale, or written by someone else.
  if (replaced) warn('api_key_cache.entry_disagreed', hostKeys, { keyId: key.keyId });
  try {
    await hostKeys.put(key, verifiedAt);
  } catch (error) {
    warn('api_key_cache.unavailable', hostKeys, { operation: 'put', error });
  }
}

function warn(
  event: string,
  hostKeys: TenantKeyCache,
  detail: { operation?: string; keyId?: string; error?: unknown },
) {
  const { error, ...rest } = detail;
  const reason = error instanceof Error ? String(error.cause ?? error.message) : undefined;
  console.warn(JSON.stringify({ level: 'warn', event, tenantId: hostKeys.tenantId, ...rest, reason }));
}
