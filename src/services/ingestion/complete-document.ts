// POST /v1/documents/{id}/complete: the upload is done, ingest it. The type is checked first (415,
// and the document is marked failed with that reason), then that the object was uploaded (409,
// nothing changed); then the document is queued with its audit row, unless a run is in flight
// (queueIngestion), and the pipeline runs after the response when the Worker can wait for it,
// inline otherwise. Calling it again re-ingests. It is part of an upload: refused (403
// feature_disabled) while the tenant's `uploads` feature is off.

import { recordAccess } from '../../db/repositories/audit-access.ts';
import { documentExists, documentProject, findDocumentById } from '../../db/repositories/document-records.ts';
import { ingestionEventEntry } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { supportedContentType } from '../../text/content-types.ts';
import { accessEntry } from '../audit.ts';
import { assertUploadsEnabled } from '../documents/create-document.ts';
import type { ServiceCall } from '../service-deps.ts';
import { recordFailure } from './ingestion-failure.ts';
import { queueIngestion } from './queue-ingestion.ts';
import { assertUploaded, readUploadedText } from './read-upload.ts';
import { type IngestionOutcome, runIngestion } from './run-ingestion.ts';

export async function completeDocument({ ctx, deps, input }: ServiceCall<{ documentId: string }>) {
  assertUploadsEnabled(ctx);
  const { documentId } = input;
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
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
  if (!document) throw notFound();

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
  await assertUploaded(ctx, deps, document);
  const queued = ingestionEventEntry(document, 'queued', { source: 'document', requestId: deps.requestId });
  if (!(await queueIngestion({ ctx, deps, input: { documentId, events: [queued] } }))) throw notFound();
  if (deps.background) {
    deps.background(runIngestion(call).catch((error: unknown) => logLost(deps, error)));
    return { id: documentId, status: 'queued' as const, failureReason: null };
  }
  return ingestionResult(documentId, await runIngestion(call));
}

export function ingestionResult(id: string, outcome: IngestionOutcome) {
  if (outcome.state === 'ready') return { id, status: 'ready' as const, failureReason: null };
  if (outcome.state === 'failed') return { id, status: 'failed' as const, failureReason: outcome.reason };
  throw notFound(); // deleted while it was being ingested
}

function logLost(deps: ServiceCall<unknown>['deps'], error: unknown): void {
  console.error(
    JSON.stringify({ level: 'error', event: 'ingestion.lost', requestId: deps.requestId, error: String(error) }),
  );
}
