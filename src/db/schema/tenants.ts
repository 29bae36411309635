// Tenants. The row's id is the tenant id every other table carries. The runtime role may read
// only its own tenant's row; creating and changing tenants is provisioning, done as the owner.
import { sql } from 'drizzle-orm';
import { pgPolicy, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('tenants_slug_key').on(t.slug),
    ...tenantIsolationPolicies('tenants', belongsToCurrentTenant(t.id)),
    // API-key resolution needs the key's tenant status before any tenant context exists.
    pgPolicy('tenants_key_resolution', { for: 'select', to: keyResolverRole, using: sql`true` }),
  ],
);
