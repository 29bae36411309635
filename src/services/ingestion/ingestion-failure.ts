// A failed ingestion: the document is marked failed with a reason a customer can act on, and the
// retrieval cache is invalidated (the run may have cleared the document's old vectors). Reasons
// come from a fixed set of messages; an unexpected error is logged for the operator, not shown.
import { setDocumentState } from '../../db/repositories/document-records.ts';
import { recordIngestionEvent } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { retrievalCache } from '../../stores/retrieval-cache.ts';
import { IngestionFailure } from '../../text/extract-text.ts';
import type { ServiceCall } from '../service-deps.ts';
import type { IngestionInput, IngestionOutcome } from './ingestion-run-types.ts';

export function failureReason(error: unknown): string {
  if (error instanceof IngestionFailure) return error.message;
  if (error instanceof ApiError && error.code === 'unavailable') {
    return 'A storage or embedding service was unavailable; call complete again to retry';
  }
  // 415 and the other client errors carry fixed, content-free messages.
  if (error instanceof ApiError && error.code !== 'internal_error') return error.message;
  return 'Internal error during ingestion; call complete again to retry';
}

export async function recordFailure(
  { ctx, deps, input }: ServiceCall<IngestionInput>,
  error: unknown,
): Promise<IngestionOutcome> {
  const reason = failureReason(error);
  if (!(error instanceof IngestionFailure || error instanceof ApiError)) {
    console.error(
      JSON.stringify({ level: 'error', event: 'ingestion.failed', requestId: deps.requestId, error: String(error) }),
    );
  }
  const { document, source } = input;
  try {
    await withTenant(ctx, deps.settings, (scope) => [
      setDocumentState(scope, document.id, 'failed'),
      recordIngestionEvent(scope, document, 'failed', { source, reason, requestId: deps.requestId }),
    ]);
    await retrievalCache(ctx, deps.kv).invalidate({ background: deps.background });
  } catch (recording) {
    // The database itself may be what failed; the document then stays "processing" until retried.
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'ingestion.failure_unrecorded',
        requestId: deps.requestId,
        error: String(recording),
      }),
    );
  }
  return { state: 'failed', reason };
}
