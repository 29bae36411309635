// The tenant registry: configs/tenants/provisioning.json parsed and checked once, then indexed by
// id and slug. A registry that fails to parse throws RegistryError naming the field, so a bad
// file fails the Worker at startup and the tests in CI, never a request at random.
import type { TenantId, TenantLimits } from './context.ts';
import { toTenantId } from './context.ts';
import { bytesFromBase64Url } from './key-encoding.ts';
import type { StoredApiKey } from './key-store.ts';
import { FEATURE_FLAGS, type JwtSettings, type ProvisionedTenant, ProvisioningSchema } from './registry-schema.ts';

export type TenantStatus = ProvisionedTenant['status'];

export interface Tenant {
  id: TenantId;
  slug: string;
  name: string;
  status: TenantStatus;
  allowedOrigins: ReadonlySet<string>;
  /** Every known flag, unset ones false; no prototype, so an unknown name reads as undefined (off). */
  features: Readonly<Record<string, boolean>>;
  limits: Readonly<TenantLimits>;
  projectIds: readonly string[];
  jwt?: JwtSettings;
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
    for (const [k, key] of provisioned.apiKeys.entries()) {
      if (keys.has(key.id)) throw new RegistryError(`${where}.apiKeys.${k}.id: duplicate key id`);
      const foreign = key.projects === 'all' ? [] : key.projects.filter((p) => !tenant.projectIds.includes(p));
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
  const features: Record<string, boolean> = Object.create(null);
  for (const flag of FEATURE_FLAGS) features[flag] = provisioned.features[flag] === true;
  return {
    id: toTenantId(provisioned.id),
    slug: provisioned.slug,
    name: provisioned.name,
    status: provisioned.status,
    allowedOrigins: new Set(provisioned.allowedOrigins),
    features: Object.freeze(features),
    limits: Object.freeze({ ...provisioned.limits }),
    projectIds: Object.freeze(provisioned.projects.map((project) => project.id)),
    jwt: provisioned.jwt,
  };
}
