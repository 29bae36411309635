// What a tenant user's project roles (user_project_roles) allow, and where the edge keeps them. A
// user JWT is authorised by these rows, not by its own claims alone: its `role` claim and `projects`
// claim can only narrow what the rows grant (src/tenancy/build-context.ts). Rows are read through a
// cache bounded like tenant settings (TENANT_CACHE_MS), so a removed member loses access within that
// bound even while its token is still valid, and at once in an isolate that has not cached it.
import type { Settings } from '../config/settings.ts';
import type { Scope, TenantId } from './context.ts';
import type { MEMBER_ROLES } from './registry-schema.ts';
import { TENANT_CACHE_MS } from './tenant-directory.ts';

export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Viewer reads, editor writes documents, admin (and owner) manages members and keys. */
export const MEMBER_ROLE_SCOPES: Record<MemberRole, readonly Scope[]> = {
  viewer: ['chat', 'retrieval', 'documents:read'],
  editor: ['chat', 'retrieval', 'documents:read', 'documents:write'],
  admin: ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin'],
  owner: ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin'],
};

export interface ProjectRole {
  projectId: string;
  role: MemberRole;
}

export interface MemberRoleSource {
  rolesOf(tenantId: TenantId, userId: string, settings: Settings): Promise<readonly ProjectRole[]>;
}

const MAX_ENTRIES = 20_000;

export function cachedMemberRoles(
  source: MemberRoleSource,
  options: { maxAgeMs?: number; now?: () => number } = {},
): MemberRoleSource {
  const { maxAgeMs = TENANT_CACHE_MS, now = Date.now } = options;
  const cache = new Map<string, { roles: readonly ProjectRole[]; fetchedAt: number }>();
  return {
    async rolesOf(tenantId, userId, settings) {
      const key = `${tenantId} ${userId}`;
      const entry = cache.get(key);
      if (entry && now() - entry.fetchedAt < maxAgeMs) return entry.roles;
      const fetchedAt = now();
      const roles = await source.rolesOf(tenantId, userId, settings);
      cache.delete(key);
      cache.set(key, { roles, fetchedAt });
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      return roles;
    },
  };
}
