// POST /v1/documents/{id}/complete: the upload is done, ingest it. The type is checked first (415,
// and the document is marked failed with that reason); then the document is queued in one batch
// with its audit row, and the pipeline runs after the response when the Worker can wait for it,
// inline otherwise. Calling it again re-ingests; a run still in flight is not started twice.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import {
  type DocumentRow,
  documentExists,
  documentProject,
  findDocumentById,
  setDocumentState,
} from '../../db/repositories/document-records.ts';
import {
  type IngestionEvent,
  latestIngestionEvents,
  recordIngestionEvent,
  toIngestionEvent,
} from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../http/errors.ts';
import { supportedContentType } from '../../ingestion/content-types.ts';
import { accessEntry } from '../audit.ts';
import { documentNotFound } from '../documents/read-documents.ts';
import type { ServiceCall } from '../service-deps.ts';
import { recordFailure } from './ingestion-failure.ts';
import { readUploadedText } from './read-upload.ts';
import { type IngestionOutcome, runIngestion } from './run-ingestion.ts';

/** A run that has reported nothing for this long is taken to have died with its Worker. */
export const STALLED_AFTER_MS = 120_000;

export async function completeDocument({ ctx, deps, input }: ServiceCall<{ documentId: string }>) {
  const { documentId } = input;
  const [rows, events] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
    latestIngestionEvents(scope, [documentId]),
    recordAccess(
      scope,
      accessEntry(ctx, deps, {
        action: 'document.complete',
        targetType: 'document',
        targetId: documentId,
        projectOf: documentProject(documentId),
      }),
      documentExists(documentId),
      { onlyWhenMissing: true },
    ),
  ]);
  const document = rows[0];
  if (!document) throw documentNotFound();
  assertNotInFlight(document, events[0] && toIngestionEvent(events[0]));

  const call = {
    ctx,
    deps,
    input: { document, source: 'document' as const, readText: readUploadedText(ctx, deps, document) },
  };
  try {
    supportedContentType(document.contentType);
  } catch (error) {
    await recordFailure(call, error);
    throw error;
  }
  await withTenant(ctx, deps.settings, (scope) => [
    setDocumentState(scope, document.id, 'pending'),
    recordIngestionEvent(scope, document, 'queued', { source: 'document', requestId: deps.requestId }),
  ]);
  if (deps.background) {
    deps.background(runIngestion(call).catch((error: unknown) => logLost(deps, error)));
    return { id: documentId, status: 'queued' as const, failureReason: null };
  }
  return ingestionResult(documentId, await runIngestion(call));
}

export function ingestionResult(id: string, outcome: IngestionOutcome) {
  if (outcome.state === 'ready') return { id, status: 'ready' as const, failureReason: null };
  if (outcome.state === 'failed') return { id, status: 'failed' as const, failureReason: outcome.reason };
  throw documentNotFound(); // deleted while it was being ingested
}

function logLost(deps: ServiceCall<unknown>['deps'], error: unknown): void {
  console.error(
    JSON.stringify({ level: 'error', event: 'ingestion.lost', requestId: deps.requestId, error: String(error) }),
  );
}

/** Refuses a second run while one reported within STALLED_AFTER_MS (two runs would interleave). */
export function assertNotInFlight(document: DocumentRow, event: IngestionEvent | undefined): void {
  const inFlight = document.status === 'pending' && (event?.stage === 'queued' || event?.stage === 'processing');
  if (inFlight && Date.now() - (event as IngestionEvent).at.getTime() < STALLED_AFTER_MS) {
    throw new ApiError('bad_request', 'This document is being ingested; check its status, or retry once it stalls');
  }
}
