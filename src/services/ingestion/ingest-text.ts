// POST /v1/ingest: raw text from an integration (Slack, email, the web, or a document's text),
// with its source and source metadata recorded in the document's audit trail. The tenant comes from
// the context like everywhere else. Sending the same externalId again re-ingests that document
// with the new text instead of adding another. Runs inline: the text is already in the request.
// Not an upload (no object, no presigned URL), so the `uploads` flag does not cover it. A new
// document is held to the tenant's maxDocuments (insertDocumentWithAudit: 403 limit_exceeded); a
// re-ingest adds none and is never refused for it.
import type { AuditEventInput } from '../../db/repositories/audit-events.ts';
import { findDocumentByExternalId } from '../../db/repositories/document-records.ts';
import { ingestionEventEntry } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { documentLimits, limitedChunks } from '../../text/document-limits.ts';
import { DocumentTooLarge } from '../../text/ingestion-failure.ts';
import { auditEntry } from '../audit.ts';
import { insertDocumentWithAudit } from '../documents/insert-document.ts';
import { resolveProjectId } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';
import { ingestionResult } from './complete-document.ts';
import { queueIngestion } from './queue-ingestion.ts';
import { type IngestionSource, runIngestion } from './run-ingestion.ts';

export interface IngestTextInput {
  projectId?: string;
  source: IngestionSource;
  title: string;
  text: string;
  externalId?: string;
  sourceMetadata?: Record<string, string | number | boolean>;
}

export async function ingestText({ ctx, deps, input }: ServiceCall<IngestTextInput>) {
  const projectId = await resolveProjectId({ ctx, deps, input: input.projectId });
  if (input.text.trim() === '') throw new ApiError('bad_request', 'text: must contain some text');
  const record = {
    id: crypto.randomUUID(),
    projectId,
    title: input.title,
    contentType: 'text/plain',
    sizeBytes: new TextEncoder().encode(input.text).byteLength,
    objectKey: null,
    externalId: input.externalId ?? null,
  };
  // The same per-tenant limit an upload is held to (createDocument), not just the global body cap.
  if (record.sizeBytes > ctx.limits.maxUploadBytes) {
    throw new ApiError('bad_request', `text: larger than this tenant's limit of ${ctx.limits.maxUploadBytes} bytes`);
  }
  // The per-document limits a run holds it to (text length, chunk count), checked before any write:
  // refused here it is a 413 naming the limit, with nothing stored.
  try {
    limitedChunks(input.text, deps.chunking, documentLimits(ctx.limits.maxUploadBytes, deps.chunking));
  } catch (error) {
    if (error instanceof DocumentTooLarge) throw new ApiError('payload_too_large', `text: ${error.message}`);
    throw error;
  }
  const about = { source: input.source, requestId: deps.requestId };
  const ingested = (document: { id: string; projectId: string }): [AuditEventInput, AuditEventInput] => [
    ingestionEventEntry(document, 'queued', about),
    auditEntry(ctx, deps, {
      action: 'document.ingest',
      projectId: document.projectId,
      targetType: 'document',
      targetId: document.id,
      detail: { ...about, externalId: record.externalId, sourceMetadata: input.sourceMetadata ?? {} },
    }),
  ];
  const document =
    (await insertDocumentWithAudit({ ctx, deps, input: { record, events: ingested(record) } })) ??
    (await requeueExisting({ ctx, deps, input: { projectId, externalId: record.externalId, events: ingested } }));
  const outcome = await runIngestion({
    ctx,
    deps,
    input: { document, source: input.source, readText: async () => input.text },
  });
  return ingestionResult(document.id, outcome);
}

/**
 * The externalId's document was deleted between this request's insert clash and its requeue. The
 * clash proved it existed, so this is the delete winning a race, not a server fault: nothing of the
 * request was stored, and sending it again ingests the text as a new document.
 */
export const deletedWhileRequeueing = () =>
  new ApiError(
    'conflict',
    'The document with this externalId was deleted while this request ran; send it again to ingest it as a new document',
  );

/** The document that already has this externalId, queued for re-ingestion with the new text. */
async function requeueExisting({
  ctx,
  deps,
  input,
}: ServiceCall<{
  projectId: string;
  externalId: string | null;
  events: (document: { id: string; projectId: string }) => [AuditEventInput, AuditEventInput];
}>) {
  const { externalId } = input;
  // Only an externalId clash leaves the insert without a row.
  if (externalId === null) throw new Error('document insert returned no row');
  const [existing] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentByExternalId(scope, input.projectId, externalId),
  ]);
  const document = existing[0];
  if (!document) throw deletedWhileRequeueing();
  // Refused (409) while a run of it is in flight, as completeDocument is; false when deleted since.
  const queued = await queueIngestion({
    ctx,
    deps,
    input: { documentId: document.id, events: input.events(document) },
  });
  if (!queued) throw deletedWhileRequeueing();
  return document;
}
