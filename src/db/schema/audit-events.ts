// Audit log: append-only for the runtime role (it is granted SELECT and INSERT only). No foreign
// keys on purpose: events must outlive what they describe, e.g. the tombstone of an erased tenant.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAtColumn, rowIdColumn, tenantIdColumn, tenantPrimaryKey } from './tenant-columns.ts';
import { projectScoped } from './tenant-policies.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    tenantId: tenantIdColumn(),
    id: rowIdColumn(),
    /** NULL for tenant-level events, which only tenant-wide principals see. */
    projectId: uuid('project_id'),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('audit_events', t),
    index('audit_events_tenant_created_idx').on(t.tenantId, t.createdAt),
    // A document's ingestion status is its latest ingestion event: read per target, newest first.
    index('audit_events_tenant_target_idx').on(t.tenantId, t.targetType, t.targetId, t.createdAt),
    ...projectScoped('audit_events', t.tenantId, t.projectId),
  ],
);
