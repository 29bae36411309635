// A tenant's slice of Workers KV. KV has no wall of its own, so this module is one: every key comes
// from src/tenancy/storage-names.ts under `t:{tenantId}:`, every value carries the tenant id and is
// checked on read, and everything expires. KV is eventually consistent (about 60 s) and takes one
// write per second per key, so it is a cache only: never the source of truth for a revocation.
import { type CacheKey, listedCacheKey, type TenantScoped, tenantCachePrefix } from '../tenancy/storage-names.ts';
import { storeUnavailable } from './store-unavailable.ts';

/** KV refuses a TTL under 60 s; a day is the longest anything here should outlive its source. */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 86_400;

interface Envelope {
  tenantId: string;
  value: unknown;
}

export interface TenantCache {
  get<T>(key: CacheKey): Promise<T | undefined>;
  put(key: CacheKey, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: CacheKey): Promise<void>;
}

export function tenantCache(ctx: TenantScoped, kv: KVNamespace): TenantCache {
  const prefix = tenantCachePrefix(ctx);
  // A key made for another context is refused outright: it would not be this tenant's data.
  const own = (key: CacheKey): CacheKey => {
    if (!key.startsWith(prefix)) throw new Error('cache key belongs to another tenant');
    return key;
  };

  return {
    async get<T>(key: CacheKey): Promise<T | undefined> {
      const ownKey = own(key);
      const raw = await reach(() => kv.get(ownKey, 'text'));
      if (raw === null) return undefined;
      const envelope = parseEnvelope(raw);
      if (envelope?.tenantId === ctx.tenantId) return envelope.value as T;
      // Written for someone else (or not by us at all): a miss, and gone so no one reads it again.
      console.warn(JSON.stringify({ level: 'warn', event: 'cache.foreign_value_purged', key: ownKey }));
      await reach(() => kv.delete(ownKey));
      return undefined;
    },

    async put(key: CacheKey, value: unknown, ttlSeconds: number): Promise<void> {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
        throw new Error(`cache TTL must be ${MIN_TTL_SECONDS}–${MAX_TTL_SECONDS} s`);
      }
      const ownKey = own(key);
      const envelope: Envelope = { tenantId: ctx.tenantId, value };
      await reach(() => kv.put(ownKey, JSON.stringify(envelope), { expirationTtl: ttlSeconds }));
    },

    async delete(key: CacheKey): Promise<void> {
      const ownKey = own(key);
      await reach(() => kv.delete(ownKey));
    },
  };
}

/** Deletes every key under `t:{tenantId}:`, page by page; returns how many went. */
export async function purgeTenantCache(ctx: TenantScoped, kv: KVNamespace, pageSize = 1000): Promise<number> {
  const prefix = tenantCachePrefix(ctx);
  let cursor: string | undefined;
  let deleted = 0;
  do {
    const page: KVNamespaceListResult<unknown> = await reach(() => kv.list({ prefix, cursor, limit: pageSize }));
    // Each listed name is checked again: a listing that ignored the prefix must not delete others' keys.
    const keys = page.keys.map((key) => listedCacheKey(ctx, key.name)).filter((key) => key !== undefined);
    await reach(() => Promise.all(keys.map((key) => kv.delete(key))));
    deleted += keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return deleted;
}

function parseEnvelope(raw: string): Envelope | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && 'tenantId' in parsed && 'value' in parsed) {
      return parsed as Envelope;
    }
  } catch {
    // not JSON: treated like a foreign value below
  }
  return undefined;
}

/** Any failure of the binding itself is the cache being down. */
async function reach<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeUnavailable('cache', error);
  }
}
