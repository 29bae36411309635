// POST /v1/ingest: raw text from an integration (Slack, email, the web, or a document's text),
// with its source and source metadata recorded in the document's audit trail. The tenant comes from
// the context like everywhere else. Sending the same externalId again re-ingests that document
// with the new text instead of adding another. Runs inline: the text is already in the request.
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { findDocumentByExternalId, insertDocumentRecord } from '../../db/repositories/document-records.ts';
import {
  latestIngestionEvents,
  recordIngestionEvent,
  toIngestionEvent,
} from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../http/errors.ts';
import { auditEntry } from '../audit.ts';
import { isForeignKeyViolation, projectNotFound, resolveProjectId } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';
import { assertNotInFlight, ingestionResult } from './complete-document.ts';
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
  const about = { source: input.source, requestId: deps.requestId };
  let inserted: Awaited<ReturnType<typeof insertDocumentRecord>>;
  try {
    [inserted] = await withTenant(ctx, deps.settings, (scope) => [
      insertDocumentRecord(scope, record).onConflictDoNothing(),
      // Filed under the new id; when the externalId already exists this row names no document.
      recordAuditEvent(
        scope,
        auditEntry(ctx, deps, {
          action: 'document.ingest',
          projectId,
          targetType: 'document',
          targetId: record.id,
          detail: { ...about, externalId: record.externalId, sourceMetadata: input.sourceMetadata ?? {} },
        }),
      ),
      recordIngestionEvent(scope, record, 'queued', about),
    ]);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw projectNotFound();
    throw error;
  }
  let document = inserted[0];
  if (!document && record.externalId !== null)
    document = await requeueExisting({ ctx, deps, input: { ...record, about } });
  if (!document) throw new Error('document insert returned no row');
  const found = document;
  const outcome = await runIngestion({
    ctx,
    deps,
    input: { document: found, source: input.source, readText: async () => input.text },
  });
  return ingestionResult(found.id, outcome);
}

/** The document that already has this externalId, queued for re-ingestion with the new text. */
async function requeueExisting({
  ctx,
  deps,
  input,
}: ServiceCall<{
  projectId: string;
  externalId: string | null;
  about: { source: IngestionSource; requestId: string };
}>) {
  const [existing] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentByExternalId(scope, input.projectId, input.externalId as string),
  ]);
  const document = existing[0];
  if (!document) return undefined;
  // Same guard as completeDocument: a re-ingest of a document still being ingested is refused.
  const [events] = await withTenant(ctx, deps.settings, (scope) => [latestIngestionEvents(scope, [document.id])]);
  assertNotInFlight(document, events[0] && toIngestionEvent(events[0]));
  await withTenant(ctx, deps.settings, (scope) => [recordIngestionEvent(scope, document, 'queued', input.about)]);
  return document;
}
