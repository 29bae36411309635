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

// created_at as Postgres prints it (`2024-05-01 12:34:56.123456+00`); ISO `T` and `Z` are accepted too.
const PG_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:([+-])(\d{2})(?::?(\d{2}))?|Z)?$/;
/** Postgres refuses a UTC offset of 16 hours or more ("time zone displacement out of range"). */
const MAX_OFFSET_HOURS = 15;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year: number, month: number) =>
  month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);

/**
 * A timestamp that names a real instant Postgres accepts: a calendar date from year 1 (Postgres has
 * no year 0) to 9999, a time of day from 00:00:00 to 23:59:59 (no leap second, no 24:00) and an
 * offset under 16 hours. The pattern alone would let `2024-13-45 99:99:99` reach the cast.
 */
export function isCursorTimestamp(text: string): boolean {
  const parts = PG_TIMESTAMP.exec(text);
  if (!parts) return false;
  const field = (group: number) => Number(parts[group] ?? 0);
  const [year, month, day] = [field(1), field(2), field(3)];
  const inDay = field(4) <= 23 && field(5) <= 59 && field(6) <= 59;
  const inOffset = field(8) <= MAX_OFFSET_HOURS && field(9) <= 59;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && inDay && inOffset;
}

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
      isCursorTimestamp(createdAt) &&
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
