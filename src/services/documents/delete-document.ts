// DELETE /v1/documents/{id}: vectors, then the object(s) under the document's prefix, then the row
// (its chunks cascade) with its audit row in the same batch. The row goes last, so an interrupted
// delete is finished by calling it again: the row still names what is left to remove. Deleting a
// document that does not exist (any more, or for this caller) succeeds the same way, so the call
// is idempotent and says nothing about other tenants.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  deleteDocumentRecord,
  documentExists,
  documentProject,
  findDocumentById,
} from '../../db/repositories/document-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { retrievalCache } from '../../stores/retrieval-cache.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import { tenantVectors } from '../../stores/tenant-vectors.ts';
import { documentObjectPrefix } from '../../tenancy/storage-names.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';

export async function deleteDocument({ ctx, deps, input }: ServiceCall<{ documentId: string }>): Promise<void> {
  const { documentId } = input;
  const entry = { action: 'document.delete', targetType: 'document', targetId: documentId };
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
    // Only a refusal is recorded here; a deletion is recorded with the row's removal below.
    recordAccess(
      scope,
      accessEntry(ctx, deps, { ...entry, projectOf: documentProject(documentId) }),
      documentExists(documentId),
      {
        onlyWhenMissing: true,
      },
    ),
  ]);
  const document = rows[0];
  if (!document) return;

  const vectorsRemoved = await tenantVectors(ctx, deps.pinecone).deleteDocument(document);
  const objects = tenantObjects(ctx, deps.settings, deps.objectOptions);
  const objectsRemoved = await objects.deleteAllObjects(documentObjectPrefix(ctx, document));
  await withTenant(ctx, deps.settings, (scope) => [
    deleteDocumentRecord(scope, documentId),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, { ...entry, projectId: document.projectId, detail: { vectorsRemoved, objectsRemoved } }),
    ),
  ]);
  // An ingestion that was mid-flight may have upserted after the first removal; with the row gone,
  // no later ingestion step can add more (the foreign key refuses its chunks), so this sweep is final.
  await tenantVectors(ctx, deps.pinecone).deleteDocument(document);
  await retrievalCache(ctx, deps.kv).invalidate();
}
