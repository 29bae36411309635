// Ingestion state is journalled as audit events on the document ('document.ingestion.queued',
// '…processing' with progress, '…ready', '…failed' with a reason): the schema's document status
// has only pending | ready | failed and no columns for progress or a reason, and each transition
// is an auditable action anyway. The latest event of a document is its ingestion state; each is
// written in the same batch as the change it describes.
import { and, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import { auditEvents } from '../schema/audit-events.ts';
import { documents } from '../schema/documents.ts';
import type { TenantScope } from '../tenant-scope.ts';
import { type AuditEventInput, recordAuditEvent } from './audit-events.ts';

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

export function ingestionEventEntry(
  document: { id: string; projectId: string },
  stage: IngestionStage,
  detail: IngestionEventDetail,
): AuditEventInput {
  return {
    action: `${PREFIX}${stage}`,
    projectId: document.projectId,
    targetType: 'document',
    targetId: document.id,
    detail: { ...detail, outcome: 'allowed' },
  };
}

export function recordIngestionEvent(
  scope: TenantScope,
  document: { id: string; projectId: string },
  stage: IngestionStage,
  detail: IngestionEventDetail,
) {
  return recordAuditEvent(scope, ingestionEventEntry(document, stage, detail));
}

/** An audit row written with a claim: filed under the claimed document and its project. */
export type ClaimEvent = Pick<AuditEventInput, 'action' | 'detail'>;

/**
 * Starts a run of the document unless one is in flight (the row pending and its latest event a
 * 'queued' or 'processing' younger than `stalledAfterMs`), in one statement: the row goes back to
 * pending and `events` (its 'queued' event, say) are filed under the document. Returns the id, or
 * no row when refused or gone. Postgres decides, so two concurrent calls cannot both start a run,
 * provided lockDocument precedes it in the same batch: under READ COMMITTED each statement reads a
 * fresh snapshot, and this one's must be taken after a concurrent claim committed, not before.
 */
export function claimIngestionRun(
  { ctx, db }: TenantScope,
  documentId: string,
  stalledAfterMs: number,
  events: readonly [ClaimEvent, ...ClaimEvent[]],
) {
  const values = events.map((event) => sql`(${event.action}, ${JSON.stringify(event.detail ?? {})}::jsonb)`);
  return db.execute<{ id: string }>(sql`
    with claimed as (
      update documents set status = 'pending', updated_at = clock_timestamp()
      where documents.id = ${documentId}::uuid
        and not (documents.status = 'pending' and exists (
          select 1 from (
            select audit_events.action, audit_events.created_at from audit_events
            where audit_events.target_type = 'document' and audit_events.target_id = ${documentId}
              and audit_events.action like ${`${PREFIX}%`}
            order by audit_events.created_at desc limit 1
          ) latest
          where latest.action in (${`${PREFIX}queued`}, ${`${PREFIX}processing`})
            and latest.created_at > clock_timestamp() - ${stalledAfterMs}::int * interval '1 millisecond'))
      returning documents.id, documents.project_id
    ), recorded as (
      insert into audit_events (tenant_id, project_id, actor_kind, actor_id, action, target_type, target_id, detail)
      select ${ctx.tenantId}::uuid, claimed.project_id, ${ctx.principal.kind}, ${ctx.principal.id},
             event.action, 'document', claimed.id::text, event.detail
      from claimed cross join (values ${sql.join(values, sql`, `)}) as event(action, detail)
    )
    select claimed.id::text as id from claimed`);
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
