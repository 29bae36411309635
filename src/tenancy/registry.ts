// A tenant as resolution sees it, and the in-memory registry: a provisioning document (the shape of
// configs/tenants/provisioning.json) parsed and checked once, then indexed by id and slug. The
// Worker reads tenants from Postgres (src/tenancy/tenant-directory.ts); this registry is what
// `npm run tenants:apply` validates the file with and what tests build other tenants from. A
// document that fails to parse throws RegistryError naming every bad field.
import type { TenantId, TenantLimits } from './context.ts';
import { toTenantId } from './context.ts';
import { bytesFromBase64Url } from './key-encoding.ts';
import type { StoredApiKey } from './key-store.ts';
import { FEATURE_FLAGS, type JwtSettings, type ProvisionedTenant, ProvisioningSchema } from './registry-schema.ts';

/** `erased` exists only in the database: a tenant ends as that status, never as a missing row. */
export type TenantStatus = ProvisionedTenant['status'] | 'erased';

export interface Tenant {
  id: TenantId;
  slug: string;
  name: string;
  status: TenantStatus;
  allowedOrigins: ReadonlySet<string>;
  /** Every known flag, unset ones false; no prototype, so an unknown name reads as undefined (off). */
  features: Readonly<Record<string, boolean>>;
  limits: Readonly<TenantLimits>;
  /**
   * Known only to an in-memory registry, where keys and tokens are narrowed to them. Tenants from
   * Postgres leave it out: there every granted project is a row of the tenant (foreign keys), and
   * a foreign id in a token matches no row under RLS.
   */
  projectIds?: readonly string[];
  jwt?: JwtSettings;
  /** Locked for maintenance: its requests get 503 `maintenance`. */
  locked: boolean;
}

export interface TenantRegistry {
  byId(id: string): Tenant | undefined;
  bySlug(slug: string): Tenant | undefined;
  apiKeys(): readonly StoredApiKey[];
  /** Every tenant, whatever its status: for scheduled work that visits each one. */
  all(): readonly Tenant[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** Parses a provisioning document; throws RegistryError naming every bad field. */
export function createTenantRegistry(document: unknown): TenantRegistry {
  const parsed = ProvisioningSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RegistryError(`Invalid tenant registry: ${problems.join('; ')}`);
  }
  const byId = new Map<string, Tenant>();
  const bySlug = new Map<string, Tenant>();
  const keys = new Map<string, StoredApiKey>();
  for (const [index, provisioned] of parsed.data.tenants.entries()) {
    const where = `tenants.${index}`;
    // Cross-tenant invariants JSON Schema cannot state: each of these would let one tenant
    // answer for another.
    if (byId.has(provisioned.id)) throw new RegistryError(`${where}.id: duplicate tenant id`);
    if (bySlug.has(provisioned.slug)) throw new RegistryError(`${where}.slug: duplicate slug ${provisioned.slug}`);
    const tenant = toTenant(provisioned);
    byId.set(tenant.id, tenant);
    bySlug.set(tenant.slug, tenant);
    for (const [m, member] of (provisioned.members ?? []).entries()) {
      if (!tenant.projectIds?.includes(member.projectId)) {
        throw new RegistryError(`${where}.members.${m}.projectId: not a project of this tenant`);
      }
    }
    for (const [k, key] of provisioned.apiKeys.entries()) {
      if (keys.has(key.id)) throw new RegistryError(`${where}.apiKeys.${k}.id: duplicate key id`);
      const projectIds = tenant.projectIds ?? [];
      const foreign = key.projects === 'all' ? [] : key.projects.filter((p) => !projectIds.includes(p));
      if (foreign.length > 0) throw new RegistryError(`${where}.apiKeys.${k}.projects: not a project of this tenant`);
      keys.set(key.id, {
        keyId: key.id,
        tenantId: tenant.id,
        kind: key.kind,
        sha256: bytesFromBase64Url(key.hash.slice('sha256:'.length)),
        scopes: key.scopes,
        projectIds: key.projects,
        revoked: key.revoked,
      });
    }
  }
  const apiKeys = [...keys.values()];
  const tenants = [...byId.values()];
  return {
    byId: (id) => byId.get(id),
    bySlug: (slug) => bySlug.get(slug),
    apiKeys: () => apiKeys,
    all: () => tenants,
  };
}

function toTenant(provisioned: ProvisionedTenant): Tenant {
  return {
    ...tenantSettings(provisioned),
    status: provisioned.status,
    projectIds: Object.freeze(provisioned.projects.map((project) => project.id)),
    locked: false,
  };
}

/** The part of a Tenant every source builds the same way: known flags only, frozen. */
export function tenantSettings(source: {
  id: string;
  slug: string;
  name: string;
  allowedOrigins: readonly string[];
  features: Readonly<Record<string, boolean | undefined>>;
  limits: TenantLimits;
  jwt?: JwtSettings;
}): Pick<Tenant, 'id' | 'slug' | 'name' | 'allowedOrigins' | 'features' | 'limits' | 'jwt'> {
  const features: Record<string, boolean> = Object.create(null);
  for (const flag of FEATURE_FLAGS) features[flag] = source.features[flag] === true;
  return {
    id: toTenantId(source.id),
    slug: source.slug,
    name: source.name,
    allowedOrigins: new Set(source.allowedOrigins),
    features: Object.freeze(features),
    limits: Object.freeze({ ...source.limits }),
    jwt: source.jwt,
  };
}
