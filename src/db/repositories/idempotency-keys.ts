// Idempotency-Key rows (src/db/schema/idempotency-keys.ts). Statements only: the service runs them
// through withTenant, so every one is under the tenant's RLS, and tenant_id comes from the context.
import { and, eq, lte, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../schema/idempotency-keys.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface IdempotencyKeyId {
  principal: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

const sameKey = ({ ctx }: TenantScope, { principal, key }: IdempotencyKeyId) =>
  and(
    eq(idempotencyKeys.tenantId, ctx.tenantId),
    eq(idempotencyKeys.principal, principal),
    eq(idempotencyKeys.key, key),
  );

/** Drops this key's row if it has expired, so the claim that follows can take it. */
export function deleteExpiredKey(scope: TenantScope, id: IdempotencyKeyId) {
  return scope.db.delete(idempotencyKeys).where(and(sameKey(scope, id), lte(idempotencyKeys.expiresAt, sql`now()`)));
}

/** Claims the key: returns the new row, or nothing when a row for it already exists. */
export function insertClaim(scope: TenantScope, id: IdempotencyKeyId & { requestHash: string; leaseSeconds: number }) {
  return scope.db
    .insert(idempotencyKeys)
    .values({
      tenantId: scope.ctx.tenantId,
      principal: id.principal,
      key: id.key,
      requestHash: id.requestHash,
      status: 'in_progress',
      expiresAt: sql`now() + make_interval(secs => ${id.leaseSeconds})`,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
}

/** The key's unexpired row, as the claim found it. */
export function selectKey(scope: TenantScope, id: IdempotencyKeyId) {
  return scope.db
    .select({
      requestHash: idempotencyKeys.requestHash,
      status: idempotencyKeys.status,
      response: idempotencyKeys.response,
    })
    .from(idempotencyKeys)
    .where(and(sameKey(scope, id), sql`${idempotencyKeys.expiresAt} > now()`));
}

/** Stores the first answer on the in-progress claim and keeps it for `keepSeconds`. */
export function completeClaim(
  scope: TenantScope,
  id: IdempotencyKeyId & { requestHash: string; response: StoredResponse; keepSeconds: number },
) {
  return scope.db
    .update(idempotencyKeys)
    .set({
      status: 'completed',
      response: id.response,
      expiresAt: sql`now() + make_interval(secs => ${id.keepSeconds})`,
    })
    .where(
      and(
        sameKey(scope, id),
        eq(idempotencyKeys.requestHash, id.requestHash),
        eq(idempotencyKeys.status, 'in_progress'),
      ),
    );
}

/** Gives up an in-progress claim (the request failed), so a retry can run. */
export function deleteClaim(scope: TenantScope, id: IdempotencyKeyId & { requestHash: string }) {
  return scope.db
    .delete(idempotencyKeys)
    .where(
      and(
        sameKey(scope, id),
        eq(idempotencyKeys.requestHash, id.requestHash),
        eq(idempotencyKeys.status, 'in_progress'),
      ),
    );
}
