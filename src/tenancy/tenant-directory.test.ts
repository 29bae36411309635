// The tenant cache's bound (TENANT_CACHE_MS): a change reaches an isolate that has the tenant
// cached no later than the bound after the lookup that cached it; a tenant not in the cache is
// always read fresh; a primed lookup is as good as one made here, and never replaces a newer one.
import { describe, expect, it } from 'vitest';
import { toTenantId } from './context.ts';
import type { Tenant } from './registry.ts';
import { cachedTenantDirectory, TENANT_CACHE_MS, type TenantSource } from './tenant-directory.ts';

const ID = toTenantId('5b0e3c1e-8c8e-4a4e-9d5c-1f2a3b4c5d6e');

function tenant(status: Tenant['status'], locked = false): Tenant {
  return {
    id: ID,
    slug: 'bound',
    name: 'Bound',
    status,
    locked,
    allowedOrigins: new Set(),
    features: {},
    limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 1 },
  };
}

function fakeSource(initial: Tenant) {
  let current = initial;
  let maintenance = false;
  let lookups = 0;
  const source: TenantSource = {
    byId: async () => (lookups++, { tenant: current, platformMaintenance: maintenance }),
    bySlug: async () => (lookups++, { tenant: current, platformMaintenance: maintenance }),
    platformMaintenance: async () => (lookups++, maintenance),
    anyTenantAllows: async () => false,
  };
  return {
    source,
    set: (next: Tenant) => {
      current = next;
    },
    setMaintenance: (on: boolean) => {
      maintenance = on;
    },
    lookups: () => lookups,
  };
}

describe('cachedTenantDirectory', () => {
  it('serves a change no later than TENANT_CACHE_MS after the caching lookup (15 s), and not before', async () => {
    let clock = 1_000_000;
    const db = fakeSource(tenant('active'));
    const directory = cachedTenantDirectory(db.source, { now: () => clock });
    expect((await directory.byId(ID, {} as never))?.status).toBe('active');
    db.set(tenant('suspended'));
    clock += TENANT_CACHE_MS - 1;
    expect((await directory.byId(ID, {} as never))?.status).toBe('active'); // within the bound: cached
    expect(db.lookups()).toBe(1);
    clock += 1;
    expect((await directory.byId(ID, {} as never))?.status).toBe('suspended'); // at the bound: fresh
    expect(db.lookups()).toBe(2);
    expect(TENANT_CACHE_MS).toBeLessThanOrEqual(30_000);
  });

  it('a slug and an id are one tenant: caching by one serves the other', async () => {
    const db = fakeSource(tenant('active', true));
    const directory = cachedTenantDirectory(db.source);
    expect((await directory.bySlug('bound', {} as never))?.locked).toBe(true);
    expect((await directory.byId(ID, {} as never))?.locked).toBe(true);
    expect(db.lookups()).toBe(1);
  });

  it('the platform switch has the same bound and is primed by every tenant lookup', async () => {
    let clock = 0;
    const db = fakeSource(tenant('active'));
    const directory = cachedTenantDirectory(db.source, { now: () => clock });
    expect(directory.peekPlatformMaintenance()).toBeUndefined();
    db.setMaintenance(true);
    await directory.byId(ID, {} as never);
    expect(directory.peekPlatformMaintenance()).toBe(true);
    expect(await directory.platformMaintenance({} as never)).toBe(true);
    expect(db.lookups()).toBe(1);
    db.setMaintenance(false);
    clock += TENANT_CACHE_MS;
    expect(directory.peekPlatformMaintenance()).toBeUndefined();
    expect(await directory.platformMaintenance({} as never)).toBe(false);
  });

  it('a primed lookup never replaces a newer answer', async () => {
    let clock = 10_000;
    const db = fakeSource(tenant('suspended'));
    const directory = cachedTenantDirectory(db.source, { now: () => clock });
    await directory.byId(ID, {} as never); // fetched at 10 000: suspended
    directory.prime({ tenant: tenant('active'), platformMaintenance: false }, 9_000); // older: ignored
    clock += 1;
    expect((await directory.byId(ID, {} as never))?.status).toBe('suspended');
  });
});
