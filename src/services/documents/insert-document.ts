// A new document row and its audit rows, for POST /v1/documents and POST /v1/ingest: the one path
// that creates documents. They go in one batch, and a clash aborts all of it: no audit row ever
// names an id that was never inserted. The batch holds the insert to the tenant's maxDocuments
// (documentLimit; the count and the refusal are Postgres', in the insert's trigger, so concurrent
// creates cannot both take the last slot); a refusal is 403 limit_exceeded with its own audit row.

import { isForeignKeyViolation, violatedUniqueConstraint } from '../../db/postgres-errors.ts';
import { type AuditEventInput, recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { documentLimit, isDocumentLimitReached } from '../../db/repositories/document-counts.ts';
import {
  type DocumentRow,
  insertDocumentRecord,
  type NewDocumentRecord,
} from '../../db/repositories/document-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError, notFound } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall, ServiceDeps } from '../service-deps.ts';

// The one constraint an insert with a fresh random id can meet: (tenant, project, externalId).
const EXTERNAL_ID_KEY = 'documents_tenant_project_external_key';

/** The inserted row, or undefined when this project already has a document with that externalId. */
export async function insertDocumentWithAudit({
  ctx,
  deps,
  input,
}: ServiceCall<{ record: NewDocumentRecord; events: readonly AuditEventInput[] }>): Promise<DocumentRow | undefined> {
  try {
    const [, inserted] = await withTenant(ctx, deps.settings, (scope) => [
      documentLimit(scope),
      insertDocumentRecord(scope, input.record),
      ...input.events.map((event) => recordAuditEvent(scope, event)),
    ]);
    return inserted[0];
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound(); // a project id that is not this tenant's
    // Checked before the limit: a re-sent externalId inserts nothing, so it is never refused.
    if (violatedUniqueConstraint(error) === EXTERNAL_ID_KEY) return undefined;
    if (isDocumentLimitReached(error)) throw await documentLimitReached(ctx, deps, input.record.projectId);
    throw error;
  }
}

/**
 * Records the refusal (access.denied, target the limit, filed under the project the create was
 * for: one the principal reaches) in a batch of its own, since the refused batch rolled back.
 */
async function documentLimitReached(
  ctx: TenantContext,
  deps: Pick<ServiceDeps, 'settings' | 'requestId'>,
  projectId: string,
): Promise<ApiError> {
  const { maxDocuments } = ctx.limits;
  const entry = auditEntry(ctx, deps, {
    action: 'access.denied',
    projectId,
    targetType: 'limit',
    targetId: 'maxDocuments',
    outcome: 'denied',
    detail: { maxDocuments },
  });
  await withTenant(ctx, deps.settings, (scope) => [recordAuditEvent(scope, entry)]);
  return new ApiError(
    'limit_exceeded',
    `maxDocuments: this tenant has reached its limit of ${maxDocuments} documents; delete one to add another`,
  );
}
