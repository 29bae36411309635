// A new document row and its audit rows, for POST /v1/documents and POST /v1/ingest. They go in one
// batch, and a clash aborts all of it: no audit row ever names an id that was never inserted.

import { isForeignKeyViolation, violatedUniqueConstraint } from '../../db/postgres-errors.ts';
import { type AuditEventInput, recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  type DocumentRow,
  insertDocumentRecord,
  type NewDocumentRecord,
} from '../../db/repositories/document-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import type { ServiceCall } from '../service-deps.ts';

// The one constraint an insert with a fresh random id can meet: (tenant, project, externalId).
const EXTERNAL_ID_KEY = 'documents_tenant_project_external_key';

/** The inserted row, or undefined when this project already has a document with that externalId. */
export async function insertDocumentWithAudit({
  ctx,
  deps,
  input,
}: ServiceCall<{ record: NewDocumentRecord; events: readonly AuditEventInput[] }>): Promise<DocumentRow | undefined> {
  try {
    const [inserted] = await withTenant(ctx, deps.settings, (scope) => [
      insertDocumentRecord(scope, input.record),
      ...input.events.map((event) => recordAuditEvent(scope, event)),
    ]);
    return inserted[0];
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound(); // a project id that is not this tenant's
    if (violatedUniqueConstraint(error) === EXTERNAL_ID_KEY) return undefined;
    throw error;
  }
}
