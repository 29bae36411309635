// Idempotency-Key claims and the responses they replay (docs/threat-model.md T52). One row per
// (tenant, principal, key): claimed `in_progress` before a state-changing POST runs, `completed`
// with the stored response after a 2xx, deleted again when the handler fails so a retry can run.
// `request_hash` is the SHA-256 (hex) of method, path and body: the same key with another request is
// refused, never replayed. Rows past `expires_at` are ignored and deleted lazily by the next claim of
// the same key (a short lease while in progress, 24 h once completed). Tenant-only policies: a key
// belongs to the principal that sent it, not to a project.
import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAtColumn, tenantForeignKey, tenantIdColumn } from './tenant-columns.ts';
import { tenantScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantIdColumn(),
    /** Who sent the key: `{kind}:{id}`, plus the SHA-256 of the widget user token when one came. */
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').notNull().default('in_progress'),
    /** `{ status, body }` of the first 2xx answer; null while in progress. */
    response: jsonb('response'),
    createdAt: createdAtColumn(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.principal, t.key] }),
    tenantForeignKey('idempotency_keys_tenant_fkey', [t.tenantId], [tenants.id]),
    check('idempotency_keys_status_check', sql`${t.status} in ('in_progress', 'completed')`),
    check('idempotency_keys_response_check', sql`(${t.status} = 'completed') = (${t.response} is not null)`),
    ...tenantScoped('idempotency_keys', t.tenantId),
  ],
);
