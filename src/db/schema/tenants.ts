// Tenants: the registry (issue 13). The row's id is the tenant id every other table carries; its
// columns are everything resolution needs (status, lock, origins, features, limits, JWT settings).
// The runtime role reads and writes only its own tenant's row, under that tenant's context
// (operator actions, src/services/tenants/); before a tenant is known it is read only through the
// bulkhead_auth resolver functions (drizzle/0007_tenant_registry.sql).
import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgPolicy, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantStatus } from './enums.ts';
import { keyResolverRole } from './roles.ts';
import { belongsToCurrentTenant, tenantIsolationPolicies } from './tenant-policies.ts';

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The subdomain: globally unique by nature. Only the owner can write it, so its uniqueness
    // tells the runtime role nothing.
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    status: tenantStatus('status').notNull().default('active'),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'`),
    features: jsonb('features').notNull().default(sql`'{}'::jsonb`),
    limits: jsonb('limits').notNull(),
    jwt: jsonb('jwt'),
    /** Per-tenant maintenance lock: 503 `maintenance` while set. */
    locked: boolean('locked').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('tenants_slug_key').on(t.slug),
    ...tenantIsolationPolicies('tenants', belongsToCurrentTenant(t.id)),
    // API-key resolution needs the key's tenant status before any tenant context exists.
    pgPolicy('tenants_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);
