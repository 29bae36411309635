// limits.maxDocuments. The tenant's documents are counted in tenant_document_counts by triggers on
// documents, and the insert trigger refuses a statement that would take the count past the
// transaction's `app.max_documents` (drizzle/0005_tenant_document_counts.sql). A batch that inserts a
// document sets it first with documentLimit; the refusal is a check_violation that rolls back the
// whole batch, so nothing of it (audit rows included) is stored.
import { sql } from 'drizzle-orm';
import { tenantDocumentCounts } from '../schema/tenant-document-counts.ts';
import type { TenantScope } from '../tenant-scope.ts';

/** The constraint name the insert trigger reports with its check_violation. */
export const DOCUMENT_LIMIT_CONSTRAINT = 'tenant_document_counts_max_documents';

/** Holds this batch's document inserts to the context's maxDocuments (transaction-local). */
export function documentLimit({ ctx, db }: TenantScope) {
  return db.execute(sql`select set_config('app.max_documents', ${String(ctx.limits.maxDocuments)}, true)`);
}

/** The tenant's document count, whatever projects the principal reaches (no row: none yet). */
export function tenantDocumentCount({ db }: TenantScope) {
  return db.select({ documents: tenantDocumentCounts.documents }).from(tenantDocumentCounts);
}

/** The insert trigger refused a document: the tenant is at its maxDocuments. */
export function isDocumentLimitReached(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const { code, constraint } = cause as { code?: unknown; constraint?: unknown };
    if (code === '23514') return constraint === DOCUMENT_LIMIT_CONSTRAINT;
  }
  return false;
}
