// Idempotency-Key (docs/threat-model.md T52): a state-changing POST sent again with the same key and
// the same request gets the first answer back instead of doing the work twice. Keys are per tenant
// (RLS on idempotency_keys) and per principal (the caller's key, user or widget user), so nobody
// replays another caller's answer. The claim is taken before the work, in its own batch: of two
// concurrent requests with one key exactly one inserts the row, and the other is told the key is in
// progress (409 with Retry-After) or, once the first has finished, gets its answer.
import {
  completeClaim,
  deleteClaim,
  deleteExpiredKey,
  type IdempotencyKeyId,
  insertClaim,
  type StoredResponse,
  selectKey,
} from '../db/repositories/idempotency-keys.ts';
import { withTenant } from '../db/with-tenant.ts';
import { ApiError } from '../domain/api-error.ts';
import { sha256Hex } from '../tenancy/sha256.ts';
import type { ServiceCall } from './service-deps.ts';

/** How long a completed key replays its answer. */
export const IDEMPOTENCY_KEEP_SECONDS = 24 * 60 * 60;
/**
 * How long an unfinished claim holds its key. Longer than any request runs; a claim whose
 * request died without releasing it (the isolate was lost, the database failed after the work) stops
 * blocking retries after this.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 5 * 60;
/** Retry-After, in seconds, of the 409 for a key still in progress. */
export const IN_PROGRESS_RETRY_AFTER = '1';

/** 1–255 visible ASCII characters (0x21–0x7e): no spaces, no control or non-ASCII characters. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest extends IdempotencyKeyId {
  requestHash: string;
}

/** The key as sent, checked: anything else is a 400 before any work or database access. */
export function parseIdempotencyKey(header: string): string {
  if (!KEY_FORMAT.test(header)) {
    throw new ApiError('bad_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return header;
}

/** SHA-256 (hex) of the method, the path and the exact body: what a replay must match. */
export function idempotencyRequestHash(method: string, path: string, body: string): string {
  return sha256Hex(`${method.toUpperCase()}\n${path}\n${body}`);
}

/**
 * Claims the key for this request. `claimed`: run the work, then completeIdempotentRequest or
 * releaseIdempotentRequest. `replay`: the first answer. Throws 422 `idempotency_conflict` when the
 * key was used for another request, 409 `conflict` (Retry-After) while the first is still running.
 */
export async function claimIdempotentRequest({
  ctx,
  deps,
  input,
}: ServiceCall<IdempotentRequest>): Promise<{ kind: 'claimed' } | { kind: 'replay'; response: StoredResponse }> {
  const [, claimed, existing] = await withTenant(ctx, deps.settings, (scope) => [
    deleteExpiredKey(scope, input),
    insertClaim(scope, { ...input, leaseSeconds: IDEMPOTENCY_LEASE_SECONDS }),
    selectKey(scope, input),
  ]);
  if (claimed.length > 0) return { kind: 'claimed' };
  const [row] = existing;
  if (row && row.requestHash !== input.requestHash) {
    throw new ApiError('idempotency_conflict', 'Idempotency-Key was already used with a different request');
  }
  if (row?.status === 'completed' && row.response) {
    return { kind: 'replay', response: row.response as StoredResponse };
  }
  // In progress, or released by a failed first request between the insert and the read.
  throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress', {
    'Retry-After': IN_PROGRESS_RETRY_AFTER,
  });
}

/** Stores the first answer, replayed for IDEMPOTENCY_KEEP_SECONDS. */
export async function completeIdempotentRequest({
  ctx,
  deps,
  input,
}: ServiceCall<IdempotentRequest & { response: StoredResponse }>): Promise<void> {
  await withTenant(ctx, deps.settings, (scope) => [
    completeClaim(scope, { ...input, keepSeconds: IDEMPOTENCY_KEEP_SECONDS }),
  ]);
}

/** Gives the key up after a failed request, so a retry runs the work. */
export async function releaseIdempotentRequest({ ctx, deps, input }: ServiceCall<IdempotentRequest>): Promise<void> {
  await withTenant(ctx, deps.settings, (scope) => [deleteClaim(scope, input)]);
}
