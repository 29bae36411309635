// Turns verified credentials into the TenantContext. Every credential can only narrow what the
// others grant: a widget key caps its user's role, a user's projects narrow the key's.
import type { Principal, Scope, TenantContext } from './context.ts';
import type { StoredApiKey } from './key-store.ts';
import { MEMBER_ROLE_SCOPES, type ProjectRole } from './member-roles.ts';
import type { Tenant } from './registry.ts';
import { PUBLISHABLE_SCOPES, SCOPES } from './registry-schema.ts';
import type { UserClaims } from './user-token.ts';

/**
 * The development role: what `x-tenant-id` alone grants under ENVIRONMENT=development. Enough to try
 * the content API by hand (documents, retrieval, chat); never `admin`, whatever admin routes exist.
 */
export const DEVELOPMENT_SCOPES: readonly Scope[] = ['documents:read', 'documents:write', 'retrieval', 'chat'];

export interface VerifiedCredentials {
  key?: StoredApiKey;
  user?: UserClaims;
  /** The development-only `x-tenant-id` header named this tenant. */
  developmentHeader?: boolean;
  /**
   * The user's project roles (user_project_roles), when the tenant keeps them (tenants from
   * Postgres): they decide the user's projects and scopes, which its token's claims only narrow.
   */
  memberRoles?: readonly ProjectRole[];
}

/** The context for `tenant`, or undefined when no credential identifies a principal. */
export function buildTenantContext(tenant: Tenant, credentials: VerifiedCredentials): TenantContext | undefined {
  const { key, user } = credentials;
  const principal = principalOf(credentials);
  if (!principal) return undefined;

  let scopes: readonly Scope[] = principal.kind === 'development' ? DEVELOPMENT_SCOPES : SCOPES;
  // Publishable keys are capped here too, whatever a store row claims.
  if (key)
    scopes = intersect(scopes, key.kind === 'publishable' ? intersect(key.scopes, PUBLISHABLE_SCOPES) : key.scopes);
  if (user) scopes = intersect(scopes, user.scopes);

  let projectIds: readonly string[] | 'all' = 'all';
  if (key) projectIds = narrowProjects(projectIds, key.projectIds);
  if (user?.projectIds) projectIds = narrowProjects(projectIds, user.projectIds);
  if (user && credentials.memberRoles) {
    const roles = credentials.memberRoles;
    projectIds = narrowProjects(
      projectIds,
      roles.map((r) => r.projectId),
    );
    // The weakest role among the projects this context reaches: a user who is an editor in one
    // project and a viewer in another may only read in either (narrow with the token's `projects`
    // claim to act as the editor). No project, no scope.
    const reached = roles.filter((r) => projectIds === 'all' || projectIds.includes(r.projectId));
    scopes = reached.length === 0 ? [] : reached.reduce((s, r) => intersect(s, MEMBER_ROLE_SCOPES[r.role]), scopes);
  }
  if (projectIds !== 'all' && tenant.projectIds) projectIds = Object.freeze(intersect(projectIds, tenant.projectIds));
  if (projectIds !== 'all') projectIds = Object.freeze([...projectIds]);

  return Object.freeze({
    tenantId: tenant.id,
    projectIds,
    principal: Object.freeze(principal),
    scopes: new Set(scopes),
    features: tenant.features,
    limits: tenant.limits,
  });
}

function principalOf({ key, user, developmentHeader }: VerifiedCredentials): Principal | undefined {
  if (user) return { kind: 'user', id: user.subject };
  if (key) return { kind: key.kind === 'publishable' ? 'publishable_key' : 'secret_key', id: key.keyId };
  if (developmentHeader) return { kind: 'development', id: 'x-tenant-id' };
  return undefined;
}

function intersect<T>(a: readonly T[], b: readonly T[]): T[] {
  return a.filter((item) => b.includes(item));
}

function narrowProjects(current: readonly string[] | 'all', granted: readonly string[] | 'all') {
  if (granted === 'all') return current;
  return current === 'all' ? granted : intersect(current, granted);
}

/** Feature flags read through here: a flag the registry does not know is off. */
export function isFeatureOn(context: Pick<TenantContext, 'features'>, flag: string): boolean {
  return Object.hasOwn(context.features, flag) && context.features[flag] === true;
}
