// Platform-wide switches that belong to no tenant: one row (id = true). The operator API sets the
// maintenance switch here; the deploy-time switch is the MAINTENANCE wrangler var. Not a tenant
// table (no tenant_id): every role that may read it reads the same single row.
import { sql } from 'drizzle-orm';
import { boolean, pgPolicy, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { keyResolverRole } from './roles.ts';

export const platformSettings = pgTable(
  'platform_settings',
  {
    id: boolean('id').primaryKey().default(true),
    maintenance: boolean('maintenance').notNull().default(false),
    maintenanceMessage: text('maintenance_message'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    pgPolicy('platform_settings_read', { for: 'select', to: ['bulkhead_app', keyResolverRole], using: sql`true` }),
    pgPolicy('platform_settings_write', { for: 'update', to: 'bulkhead_app', using: sql`true`, withCheck: sql`true` }),
  ],
);
