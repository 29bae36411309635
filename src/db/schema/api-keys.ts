// API keys (format: src/tenancy/api-key-format.ts): only a hash of the whole key is stored. A key
// is found by its public key id before the tenant is known, through bulkhead_auth.resolve_api_key
// (drizzle/0002_isolation.sql), the one SECURITY DEFINER function; the resolver role it runs as
// may read these two tables through policies of its own, and nothing else.
import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiKeyKind } from './enums.ts';
import { projects } from './projects.ts';
import { keyResolverRole } from './roles.ts';
import { projectScoped, tenantScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** The key id inside the key: public, the handle resolution looks up. */
    lookupId: text('lookup_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    kind: apiKeyKind('kind').notNull(),
    scopes: text('scopes').array().notNull(),
    /** True: every project of the tenant; false: those in api_key_projects. */
    allProjects: boolean('all_projects').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.tenantId, t.id] }),
    unique('api_keys_tenant_lookup_key').on(t.tenantId, t.lookupId),
    // Resolution searches across tenants; key ids are random, so this is not unique on purpose
    // (a global UNIQUE would let one tenant probe another's ids).
    index('api_keys_lookup_idx').on(t.lookupId),
    foreignKey({ name: 'api_keys_tenant_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    ...tenantScoped('api_keys', t.tenantId),
    pgPolicy('api_keys_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);

export const apiKeyProjects = pgTable(
  'api_key_projects',
  {
    tenantId: uuid('tenant_id').notNull(),
    apiKeyId: uuid('api_key_id').notNull(),
    projectId: uuid('project_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'api_key_projects_pkey', columns: [t.tenantId, t.apiKeyId, t.projectId] }),
    foreignKey({
      name: 'api_key_projects_key_fkey',
      columns: [t.tenantId, t.apiKeyId],
      foreignColumns: [apiKeys.tenantId, apiKeys.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'api_key_projects_project_fkey',
      columns: [t.tenantId, t.projectId],
      foreignColumns: [projects.tenantId, projects.id],
    }).onDelete('cascade'),
    ...projectScoped('api_key_projects', t.tenantId, t.projectId),
    pgPolicy('api_key_projects_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);
