// GET /v1/audit-events: the tenant's own audit log, newest first. The cursor is the one GET
// /v1/documents uses (an opaque position over created_at and id, naming no tenant), so a cursor
// from anywhere else only moves the caller within its own rows. Reading the log is itself audited,
// in the same batch; the page is read first, so it never contains its own read.
//
// A `not_found` row's target id is left out of the answer (null): it is whatever id a caller sent
// that named nothing of this tenant (another tenant's, or none at all), so it says nothing about the
// tenant's own resources, and echoing it would hand anyone who reads the log ids that are not its own.
// The row itself keeps it, for the operator. For the same reason an event's projectId is shown only
// while it names a project of this tenant (src/db/repositories/audit-log.ts).

import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { type AuditLogFilter, auditLogCondition, auditLogPage } from '../../db/repositories/audit-log.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { auditEntry } from '../audit.ts';
import { decodeCursor, encodeCursor } from '../documents/list-documents.ts';
import type { ServiceCall } from '../service-deps.ts';

export interface ListAuditEventsInput extends AuditLogFilter {
  limit: number;
  cursor?: string;
}

export interface AuditEventView {
  id: string;
  projectId: string | null;
  actor: { kind: string; id: string };
  action: string;
  outcome: string | null;
  target: { type: string | null; id: string | null };
  detail: Record<string, unknown>;
  createdAt: string;
}

export async function listAuditEvents({ ctx, deps, input }: ServiceCall<ListAuditEventsInput>) {
  const { limit, cursor, ...filter } = input;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const condition = auditLogCondition(filter, after);
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    auditLogPage(scope, condition, limit),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, { action: 'audit.list', targetType: 'audit_event', detail: { limit, paged: !!after } }),
    ),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const events: AuditEventView[] = page.map((row) => {
    const detail = (row.detail ?? {}) as Record<string, unknown>;
    return {
      id: row.id,
      projectId: row.projectId,
      actor: { kind: row.actorKind, id: row.actorId },
      action: row.action,
      outcome: typeof detail.outcome === 'string' ? detail.outcome : null,
      target: { type: row.targetType, id: detail.outcome === 'not_found' ? null : row.targetId },
      detail,
      createdAt: row.createdAt.toISOString(),
    };
  });
  return {
    events,
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
  };
}
