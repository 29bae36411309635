// Which tenant a legacy owner's data goes to, for the three mappings of a plan. The same resolver
// serves the dry run, the copy and the validation, so they cannot disagree about a row; a row it
// refuses (NULL or unknown owner) is reported and never copied.
import type { OwnerMapping, Plan, TenantRef } from './plan.ts';
import { stableUuid } from './stable-ids.ts';

export interface TargetTenant {
  id: string;
  slug: string;
  name: string;
  projectId: string;
  projectName: string;
  /** The kit provisions it (and --rollback removes it whole); false for a tenant named by id. */
  provisioned: boolean;
}

export type Refusal = 'null-owner' | 'unknown-owner' | 'slug-collision';
export type OwnerVerdict = { tenant: TargetTenant } | { refused: Refusal };
/** A legacy owner value as text; null for a row without an owner. */
export type Owner = string | null;
export type OwnerResolver = (owner: Owner) => OwnerVerdict;

/** `directory`: owner → label from the legacy users table, when the plan names one. */
export function ownerResolver(plan: Plan, directory?: ReadonlyMap<string, string | null>): OwnerResolver {
  const mapping: OwnerMapping = plan.owners;
  const bySlug = new Map<string, { tenant: TargetTenant; owner: Owner | undefined }>();
  const tenantOf = (ref: TenantRef, owner?: Owner): OwnerVerdict => {
    const known = bySlug.get(ref.slug);
    if (known) {
      // Two owners whose slugs come out the same must not share a tenant by accident.
      return owner !== undefined && known.owner !== undefined && known.owner !== owner
        ? { refused: 'slug-collision' }
        : { tenant: known.tenant };
    }
    const tenant = targetTenant(plan.id, ref);
    bySlug.set(ref.slug, { tenant, owner });
    return { tenant };
  };
  const nullOwner = (): OwnerVerdict =>
    mapping.nullOwner === 'refuse' ? { refused: 'null-owner' } : tenantOf(mapping.nullOwner);

  return (owner) => {
    if (owner === null) return nullOwner();
    if (directory && !directory.has(owner)) return { refused: 'unknown-owner' };
    switch (mapping.mapping) {
      case 'single-tenant':
        return tenantOf(mapping.tenant);
      case 'explicit': {
        const slug = mapping.assign[owner];
        const ref = mapping.tenants.find((t) => t.slug === slug);
        return ref ? tenantOf(ref) : { refused: 'unknown-owner' };
      }
      case 'one-tenant-per-user': {
        const safe = dnsSafe(owner);
        const slug = mapping.slug.replaceAll('{owner}', safe);
        if (safe === '' || !SLUG.test(slug)) return { refused: 'unknown-owner' };
        const label = directory?.get(owner) ?? owner;
        const name = mapping.name.replaceAll('{owner}', owner).replaceAll('{label}', label).slice(0, 100);
        return tenantOf({ slug, name, projectName: mapping.projectName }, owner);
      }
    }
  };
}

const SLUG = /^(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const dnsSafe = (owner: string) =>
  owner
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

function targetTenant(planId: string, ref: TenantRef): TargetTenant {
  const id = ref.id ?? stableUuid(planId, 'tenant', ref.slug);
  return {
    id,
    slug: ref.slug,
    name: ref.name,
    projectId: ref.projectId ?? stableUuid(planId, 'project', id),
    projectName: ref.projectName,
    provisioned: ref.id === undefined,
  };
}
