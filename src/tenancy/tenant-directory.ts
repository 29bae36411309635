// Where the edge learns what a tenant is: its status, lock, origins, features, limits and JWT
// settings. The source is Postgres (src/db/tenant-resolution.ts); this module keeps what it answered
// in the isolate for at most TENANT_CACHE_MS, so a change made through the operator or admin API
// (suspend, lock, a feature off, a new origin) reaches every isolate within that bound, and a
// tenant not in the cache is always read fresh. Key resolution returns its tenant's settings too
// (one lookup for a cold key); they prime this cache with the time of that lookup.
import type { Settings } from '../config/settings.ts';
import type { Tenant } from './registry.ts';

/** The bound on staleness of tenant settings and the platform maintenance switch in an isolate. */
export const TENANT_CACHE_MS = 15_000;
/** Entries kept per isolate (a tenant by id and by slug counts twice); the oldest go first. */
const MAX_ENTRIES = 20_000;

export interface TenantLookup {
  /** Undefined: no tenant with that id or slug. */
  tenant: Tenant | undefined;
  /** The platform-wide switch, read in the same lookup. */
  platformMaintenance: boolean;
}

export interface TenantSource {
  /** Any string: a value that is not a tenant id is simply no tenant. */
  byId(id: string, settings: Settings): Promise<TenantLookup>;
  bySlug(slug: string, settings: Settings): Promise<TenantLookup>;
  platformMaintenance(settings: Settings): Promise<boolean>;
  /** Whether some serving tenant lists this origin (shared-host CORS preflights); names none. */
  anyTenantAllows(origin: string, settings: Settings): Promise<boolean>;
}

export interface TenantDirectory {
  byId(id: string, settings: Settings): Promise<Tenant | undefined>;
  bySlug(slug: string, settings: Settings): Promise<Tenant | undefined>;
  platformMaintenance(settings: Settings): Promise<boolean>;
  anyTenantAllows(origin: string, settings: Settings): Promise<boolean>;
  /** The platform switch as last read, if within the bound; no I/O (for /healthz). */
  peekPlatformMaintenance(): boolean | undefined;
  /** A lookup made elsewhere (key resolution) at `fetchedAt` (ms since the epoch). */
  prime(lookup: TenantLookup, fetchedAt: number): void;
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

export interface TenantDirectoryOptions {
  maxAgeMs?: number;
  now?: () => number;
}

export function cachedTenantDirectory(source: TenantSource, options: TenantDirectoryOptions = {}): TenantDirectory {
  const { maxAgeMs = TENANT_CACHE_MS, now = Date.now } = options;
  // Keyed `id:…` and `slug:…`; undefined values are unknown tenants, cached for the same bound so
  // that a flood of one made-up subdomain costs one lookup per bound, not one per request.
  const tenants = new Map<string, Entry<Tenant | undefined>>();
  const origins = new Map<string, Entry<boolean>>();
  // A holder, not a `let`: TypeScript does not track a variable assigned inside closures.
  const platform: { entry?: Entry<boolean> } = {};
  const rememberPlatform = (value: boolean, fetchedAt: number) => {
    if (!platform.entry || platform.entry.fetchedAt <= fetchedAt) platform.entry = { value, fetchedAt };
  };

  const fresh = <T>(entry: Entry<T> | undefined): entry is Entry<T> =>
    entry !== undefined && now() - entry.fetchedAt < maxAgeMs;

  const remember = (key: string, value: Tenant | undefined, fetchedAt: number) => {
    const current = tenants.get(key);
    if (current && current.fetchedAt > fetchedAt) return; // never replace newer with older
    tenants.delete(key);
    tenants.set(key, { value, fetchedAt });
    if (tenants.size > MAX_ENTRIES) tenants.delete(tenants.keys().next().value as string);
  };

  const prime = (lookup: TenantLookup, fetchedAt: number, asked?: string) => {
    rememberPlatform(lookup.platformMaintenance, fetchedAt);
    if (asked !== undefined) remember(asked, lookup.tenant, fetchedAt);
    if (lookup.tenant) {
      remember(`id:${lookup.tenant.id}`, lookup.tenant, fetchedAt);
      remember(`slug:${lookup.tenant.slug}`, lookup.tenant, fetchedAt);
    }
  };

  const cachedOr = async (key: string, load: () => Promise<TenantLookup>) => {
    const entry = tenants.get(key);
    if (fresh(entry)) return entry.value;
    const fetchedAt = now(); // counted from before the lookup: the answer is at least this old
    const lookup = await load();
    prime(lookup, fetchedAt, key);
    return lookup.tenant;
  };

  return {
    byId: (id, settings) => cachedOr(`id:${id}`, () => source.byId(id, settings)),
    bySlug: (slug, settings) => cachedOr(`slug:${slug}`, () => source.bySlug(slug, settings)),
    async platformMaintenance(settings) {
      if (fresh(platform.entry)) return platform.entry.value;
      const fetchedAt = now();
      const value = await source.platformMaintenance(settings);
      rememberPlatform(value, fetchedAt);
      return value;
    },
    async anyTenantAllows(origin, settings) {
      const entry = origins.get(origin);
      if (fresh(entry)) return entry.value;
      const fetchedAt = now();
      const value = await source.anyTenantAllows(origin, settings);
      origins.delete(origin);
      origins.set(origin, { value, fetchedAt });
      if (origins.size > MAX_ENTRIES) origins.delete(origins.keys().next().value as string);
      return value;
    },
    peekPlatformMaintenance: () => (fresh(platform.entry) ? platform.entry.value : undefined),
    prime: (lookup, fetchedAt) => prime(lookup, fetchedAt),
  };
}

/** An in-memory registry (tests, other tenants built from a provisioning document) as a source. */
export function registrySource(registry: {
  byId(id: string): Tenant | undefined;
  bySlug(slug: string): Tenant | undefined;
  all(): readonly Tenant[];
}): TenantSource {
  return {
    byId: async (id) => ({ tenant: registry.byId(id), platformMaintenance: false }),
    bySlug: async (slug) => ({ tenant: registry.bySlug(slug), platformMaintenance: false }),
    platformMaintenance: async () => false,
    anyTenantAllows: async (origin) =>
      registry
        .all()
        .some((tenant) => tenant.status === 'active' && !tenant.locked && tenant.allowedOrigins.has(origin)),
  };
}
