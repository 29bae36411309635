// API keys (format: src/tenancy/api-key-format.ts): only a hash of the whole key is stored. A key
// is found by its public key id before the tenant is known, through bulkhead_auth.resolve_api_key
// (drizzle/0002_isolation.sql), the one SECURITY DEFINER function; the resolver role it runs as
// may read these two tables through policies of its own, and nothing else.
import { sql } from 'drizzle-orm';
import { boolean, index, pgPolicy, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { apiKeyKind } from './enums.ts';
import { projectForeignKey } from './projects.ts';
import { keyResolverRole } from './roles.ts';
import {
  createdAtColumn,
  projectIdColumn,
  rowIdColumn,
  tenantForeignKey,
  tenantIdColumn,
  tenantPrimaryKey,
} from './tenant-columns.ts';
import { projectScoped, tenantScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantIdColumn(),
    id: rowIdColumn(),
    /** The key id inside the key: public, the handle resolution looks up. */
    lookupId: text('lookup_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    kind: apiKeyKind('kind').notNull(),
    scopes: text('scopes').array().notNull(),
    /** True: every project of the tenant; false: those in api_key_projects. */
    allProjects: boolean('all_projects').notNull(),
    label: text('label'),
    createdAt: createdAtColumn(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Last request the key authenticated, to the minute (src/services/api-keys/record-key-use.ts). */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    tenantPrimaryKey('api_keys', t),
    unique('api_keys_tenant_lookup_key').on(t.tenantId, t.lookupId),
    // Resolution searches across tenants; key ids are random, so this is not unique on purpose
    // (a global UNIQUE would let one tenant probe another's ids).
    index('api_keys_lookup_idx').on(t.lookupId),
    tenantForeignKey('api_keys_tenant_fkey', [t.tenantId], [tenants.id]),
    ...tenantScoped('api_keys', t.tenantId),
    pgPolicy('api_keys_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);

export const apiKeyProjects = pgTable(
  'api_key_projects',
  {
    tenantId: tenantIdColumn(),
    apiKeyId: uuid('api_key_id').notNull(),
    projectId: projectIdColumn(),
  },
  (t) => [
    primaryKey({ name: 'api_key_projects_pkey', columns: [t.tenantId, t.apiKeyId, t.projectId] }),
    // Covers the (tenant, project) foreign key: deleting a project finds its key grants by index.
    index('api_key_projects_tenant_project_idx').on(t.tenantId, t.projectId),
    tenantForeignKey('api_key_projects_key_fkey', [t.tenantId, t.apiKeyId], [apiKeys.tenantId, apiKeys.id]),
    projectForeignKey('api_key_projects', t),
    ...projectScoped('api_key_projects', t.tenantId, t.projectId),
    pgPolicy('api_key_projects_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);
