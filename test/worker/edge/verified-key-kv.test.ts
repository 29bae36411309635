// The tenant KV cache as the second level of API key verification (src/tenancy/api-key-verifier.ts),
// through the whole app on Miniflare's KV and the real database: used only when the host names the
// tenant, trusted only on a digest match, never written under a tenant the key does not belong to,
// and never a reason to fail a request. Each "isolate" is a new app, so its in-isolate cache is empty.
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { databaseKeyStore } from '../../../src/db/database-key-store.ts';
import { verifiedKeyCache } from '../../../src/stores/verified-key-cache.ts';
import { apiKeyDigest, formatApiKey } from '../../../src/tenancy/api-key-format.ts';
import { toTenantId } from '../../../src/tenancy/context.ts';
import { cacheKey, tenantCachePrefix } from '../../../src/tenancy/storage-names.ts';
import { call, demoTenant, outcome } from './harness.ts';
import { countingKeyStore, insertKey, removeInsertedKeys } from './key-fixtures.ts';

const acme = { tenantId: toTenantId((await demoTenant('acme')).id) };
const globex = { tenantId: toTenantId((await demoTenant('globex')).id) };
const UNAUTHORIZED = { status: 401, code: 'unauthorized', message: 'Missing or invalid credentials' };

function freshIsolate() {
  const { store, calls } = countingKeyStore(databaseKeyStore());
  return { app: createApp({ keyStore: store }), calls };
}
type Isolate = ReturnType<typeof freshIsolate>;

const whoami = (isolate: Isolate, key: string, slug?: string, bindings?: Partial<Env>) =>
  call('/v1/whoami', { slug, headers: { 'x-api-key': key }, bindings }, isolate.app);
const tenantOf = async (res: Response) => ((await res.json()) as { tenantId: string }).tenantId;
/** KV names under the tenant's prefix that mention this key id (KV is shared by the file's tests). */
const kvNames = async (tenant: typeof acme, keyId: string) =>
  (await env.CACHE.list({ prefix: tenantCachePrefix(tenant) })).keys
    .map((k) => k.name)
    .filter((n) => n.includes(keyId));
const warnings = () => vi.spyOn(console, 'warn').mockImplementation(() => {});
const events = (warn: ReturnType<typeof warnings>) =>
  warn.mock.calls.map(([line]) => JSON.parse(String(line)) as { event: string; operation?: string });

afterEach(() => vi.restoreAllMocks());
afterAll(removeInsertedKeys);

describe('verified API keys in the tenant KV cache', () => {
  it('a key verified at its tenant host goes to KV, and a fresh isolate is served from there', async () => {
    const { key, keyId } = await insertKey(acme.tenantId);
    const first = freshIsolate();
    expect((await whoami(first, key, 'acme')).status).toBe(200);
    expect(first.calls).toEqual([keyId]);
    expect(await kvNames(acme, keyId)).toEqual([cacheKey(acme, 'api-key', [keyId])]);
    expect(await env.CACHE.get(cacheKey(acme, 'api-key', [keyId]))).not.toContain(key.split('_')[2]);

    const second = freshIsolate();
    const res = await whoami(second, key, 'acme');
    expect(res.status).toBe(200);
    expect(await tenantOf(res)).toBe(acme.tenantId);
    expect(second.calls).toEqual([]);

    // No tenant named by the host: KV is not consulted, the database is.
    const bare = freshIsolate();
    expect((await whoami(bare, key)).status).toBe(200);
    expect(bare.calls).toEqual([keyId]);
  });

  it("another tenant's key at this host: today's 403, and nothing written under either tenant", async () => {
    const warn = warnings();
    const { key, keyId } = await insertKey(globex.tenantId);
    const today = await outcome(await whoami(freshIsolate(), key, 'acme', { CACHE: undefined }));
    expect(today).toEqual({ status: 403, code: 'forbidden', message: 'Credentials do not agree on the tenant' });
    for (let i = 0; i < 2; i++) {
      const isolate = freshIsolate();
      expect(await outcome(await whoami(isolate, key, 'acme'))).toEqual(today);
      expect(isolate.calls).toHaveLength(1); // the second time too: nothing was cached to answer it
    }
    expect(await kvNames(acme, keyId)).toEqual([]);
    expect(await kvNames(globex, keyId)).toEqual([]);
    expect(warn).not.toHaveBeenCalled(); // not even a write the cache itself had to refuse
    expect(await tenantOf(await whoami(freshIsolate(), key, 'globex'))).toBe(globex.tenantId);
  });

  it("a suspended or deleting tenant gets today's 403 and nothing under its prefix (erasure empties it)", async () => {
    for (const slug of ['umbrella', 'hooli'] as const) {
      const tenant = { tenantId: toTenantId((await demoTenant(slug)).id) };
      const { key, keyId } = await insertKey(tenant.tenantId);
      expect(await outcome(await whoami(freshIsolate(), key, slug))).toEqual({
        status: 403,
        code: 'forbidden',
        message: 'Tenant is not available',
      });
      expect(await kvNames(tenant, keyId)).toEqual([]);
    }
  });

  it('an entry answers only for the key whose hash it holds: a wrong secret is 401 from the store', async () => {
    const { key, keyId } = await insertKey(acme.tenantId);
    await whoami(freshIsolate(), key, 'acme');
    const wrongSecret = formatApiKey('secret', keyId, 'A'.repeat(32));
    const isolate = freshIsolate();
    expect(await outcome(await whoami(isolate, wrongSecret, 'acme'))).toEqual(UNAUTHORIZED);
    expect(isolate.calls).toEqual([keyId]);
    // The entry still vouches for the real key.
    const later = freshIsolate();
    expect((await whoami(later, key, 'acme')).status).toBe(200);
    expect(later.calls).toEqual([]);
  });

  it('a stale or planted entry with another hash neither admits its key nor locks the real one out', async () => {
    const warn = warnings();
    const { key, keyId } = await insertKey(acme.tenantId);
    const planted = formatApiKey('secret', keyId, 'B'.repeat(32));
    const isolate = freshIsolate();
    expect((await whoami(isolate, key, 'acme')).status).toBe(200); // first verification writes the entry
    await verifiedKeyCache(acme, env.CACHE).put(
      {
        keyId,
        tenantId: acme.tenantId,
        kind: 'secret',
        sha256: apiKeyDigest(planted),
        scopes: [],
        projectIds: 'all',
        revoked: false,
      },
      Date.now(),
    );
    const fresh = freshIsolate();
    expect((await whoami(fresh, key, 'acme')).status).toBe(200);
    expect(fresh.calls).toEqual([keyId]);
    expect(events(warn)).toContainEqual(expect.objectContaining({ event: 'api_key_cache.entry_disagreed' }));
    // Repaired: the planted key is refused and the real one is served from KV again.
    const after = freshIsolate();
    expect(await outcome(await whoami(after, planted, 'acme'))).toEqual(UNAUTHORIZED);
    expect((await whoami(after, key, 'acme')).status).toBe(200);
    expect(after.calls).toEqual([keyId]);
  });

  it('a failing KV is logged and the database answers', async () => {
    const warn = warnings();
    const broken = {
      get: () => {
        throw new Error('KV GET failed: 503');
      },
      put: () => Promise.reject(new Error('KV PUT failed: 429')),
    } as unknown as KVNamespace;
    const { key, keyId } = await insertKey(acme.tenantId);
    const isolate = freshIsolate();
    const res = await whoami(isolate, key, 'acme', { CACHE: broken });
    expect(res.status).toBe(200);
    expect(await tenantOf(res)).toBe(acme.tenantId);
    expect(isolate.calls).toEqual([keyId]);
    expect(events(warn)).toEqual([
      expect.objectContaining({ event: 'api_key_cache.unavailable', operation: 'get' }),
      expect.objectContaining({ event: 'api_key_cache.unavailable', operation: 'put' }),
    ]);
    expect(
      await outcome(
        await whoami(freshIsolate(), formatApiKey('secret', keyId, 'C'.repeat(32)), 'acme', { CACHE: broken }),
      ),
    ).toEqual(UNAUTHORIZED);
  });
});
