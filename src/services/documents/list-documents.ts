// GET /v1/documents: newest first, paged by an opaque cursor over (created_at, id). The cursor is
// a position, not a credential: it names no tenant, and a cursor from anywhere else only moves the
// caller within its own rows. The page, its ingestion states and the audit row are one batch.

import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { type DocumentCursor, documentPage, documentPageCondition } from '../../db/repositories/document-records.ts';
import { documentIdsWhere, latestIngestionEvents, toIngestionEvent } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { documentView } from './document-view.ts';

export interface ListDocumentsInput {
  projectId?: string;
  limit: number;
  cursor?: string;
}

const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

export function encodeCursor(cursor: DocumentCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.createdAt, cursor.id]));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(text: string): DocumentCursor {
  try {
    const json = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const [createdAt, id] = JSON.parse(json) as unknown[];
    if (
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      PG_TIMESTAMP.test(createdAt) &&
      UUID_PATTERN.test(id)
    ) {
      return { createdAt, id };
    }
  } catch {
    // reported below
  }
  throw new ApiError('bad_request', 'cursor: not a cursor this API returned');
}

export async function listDocuments({ ctx, deps, input }: ServiceCall<ListDocumentsInput>) {
  if (input.projectId !== undefined) assertProjectInScope(ctx, input.projectId);
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  const condition = documentPageCondition(input.projectId, after);
  const [rows, events] = await withTenant(ctx, deps.settings, (scope) => [
    documentPage(scope, condition, input.limit),
    latestIngestionEvents(scope, documentIdsWhere(condition, input.limit + 1)),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, {
        action: 'document.list',
        projectId: input.projectId,
        targetType: 'document',
        detail: { limit: input.limit, paged: after !== undefined },
      }),
    ),
  ]);
  const byDocument = new Map(events.map((row) => [row.documentId, toIngestionEvent(row)]));
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    documents: page.map((row) => documentView(row, byDocument.get(row.id))),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
  };
}
