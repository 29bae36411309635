// Ingestion state is journalled as audit events on the document ('document.ingestion.queued',
// '…processing' with progress, '…ready', '…failed' with a reason): the schema's document status
// has only pending | ready | failed and no columns for progress or a reason, and each transition
// is an auditable action anyway. The latest event of a document is its ingestion state; each is
// written in the same batch as the change it describes.
import { and, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import { auditEvents } from '../schema/audit-events.ts';
import { documents } from '../schema/documents.ts';
import type { TenantScope } from '../tenant-scope.ts';
import { recordAuditEvent } from './audit-events.ts';

export type IngestionStage = 'queued' | 'processing' | 'ready' | 'failed';

export interface IngestionEventDetail {
  source?: string;
  chunksDone?: number;
  chunksTotal?: number;
  reason?: string;
  requestId?: string;
}

export interface IngestionEvent {
  documentId: string;
  stage: IngestionStage;
  detail: IngestionEventDetail;
  at: Date;
}

const PREFIX = 'document.ingestion.';

export function recordIngestionEvent(
  scope: TenantScope,
  document: { id: string; projectId: string },
  stage: IngestionStage,
  detail: IngestionEventDetail,
) {
  return recordAuditEvent(scope, {
    action: `${PREFIX}${stage}`,
    projectId: document.projectId,
    targetType: 'document',
    targetId: document.id,
    detail: { ...detail, outcome: 'allowed' },
  });
}

/** The latest ingestion event of each document whose id `ids` yields (a list or a subquery). */
export function latestIngestionEvents({ db }: TenantScope, ids: string[] | SQL) {
  return db
    .selectDistinctOn([auditEvents.targetId], {
      documentId: auditEvents.targetId,
      action: auditEvents.action,
      detail: auditEvents.detail,
      at: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.targetType, 'document'),
        like(auditEvents.action, `${PREFIX}%`),
        Array.isArray(ids) ? inArray(auditEvents.targetId, ids) : sql`${auditEvents.targetId} in (${ids})`,
      ),
    )
    .orderBy(auditEvents.targetId, desc(auditEvents.createdAt));
}

/** Ids (as text) of a documents page, for latestIngestionEvents in the same batch as the page. */
export function documentIdsWhere(condition: SQL | undefined, limit: number): SQL {
  return sql`select ${documents.id}::text from ${documents} ${condition ? sql`where ${condition}` : sql``} order by ${documents.createdAt} desc, ${documents.id} desc limit ${limit}`;
}

export function toIngestionEvent(row: {
  documentId: string | null;
  action: string;
  detail: unknown;
  at: Date;
}): IngestionEvent | undefined {
  const stage = row.action.slice(PREFIX.length) as IngestionStage;
  if (!row.documentId || !['queued', 'processing', 'ready', 'failed'].includes(stage)) return undefined;
  return { documentId: row.documentId, stage, detail: (row.detail ?? {}) as IngestionEventDetail, at: row.at };
}
