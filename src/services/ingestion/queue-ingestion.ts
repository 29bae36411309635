// Starting a run of an existing document (complete, or re-ingest by externalId): at most one run at
// a time, because two would interleave their vector deletes and upserts. Whether a run is already
// in flight is decided by Postgres in the same batch that queues the new one, under the document's
// row lock: checking first and queueing in a later batch let two concurrent calls both start.
import { lockDocument } from '../../db/repositories/document-records.ts';
import { type ClaimEvent, claimIngestionRun } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import type { ServiceCall } from '../service-deps.ts';

/** A run that has reported nothing for this long is taken to have died with its Worker. */
export const STALLED_AFTER_MS = 120_000;

export const ingestionInFlight = () =>
  new ApiError('conflict', 'This document is being ingested; check its status, or retry once it stalls');

/**
 * Queues a run of the document with `events` as its audit rows (the 'queued' event among them).
 * Returns false when the document is gone; throws ingestionInFlight() while a run is in flight.
 */
export async function queueIngestion({
  ctx,
  deps,
  input,
}: ServiceCall<{ documentId: string; events: readonly [ClaimEvent, ...ClaimEvent[]] }>): Promise<boolean> {
  const [locked, claimed] = await withTenant(ctx, deps.settings, (scope) => [
    lockDocument(scope, input.documentId),
    claimIngestionRun(scope, input.documentId, STALLED_AFTER_MS, input.events),
  ]);
  if (locked.length === 0) return false;
  if (claimed.rows.length === 0) throw ingestionInFlight();
  return true;
}
