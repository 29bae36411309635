// DELETE /v1/documents/{id}: vectors, then the object(s) under the document's prefix, then the row
// (its chunks cascade) with its audit row in the same batch. The row goes last, so an interrupted
// delete is finished by calling it again: the row still names what is left to remove. Deleting a
// document that does not exist (any more, or for this caller) succeeds the same way, so the call
// is idempotent and says nothing about other tenants.
//
// Erasure of objects never depends on the row. A presigned upload URL cannot be revoked, so a PUT
// through it may land after the row is gone; the document's object prefix is made from the tenant
// and the document id (and each project the caller reaches), so a DELETE that finds no row still
// sweeps that prefix, and the scheduled orphan sweep (sweep-orphan-objects.ts) removes what nobody
// deletes again.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  deleteDocumentRecord,
  documentExists,
  documentProject,
  findDocumentById,
} from '../../db/repositories/document-records.ts';
import { visibleProjects } from '../../db/repositories/project-records.ts';
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
  const [rows, projects] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
    // Where a late upload of a document without a row could be: only projects this caller reaches.
    visibleProjects(scope),
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
  const objects = tenantObjects(ctx, deps.settings, deps.objectOptions);
  const document = rows[0];
  if (!document) {
    // No row in any project this caller reaches, so nothing under these prefixes belongs to a live
    // document: ids are unique per tenant and never reused. Another project's document with this
    // id (out of reach) lives under its own project's prefix, which is not touched.
    await Promise.all(
      projects.map((project) =>
        objects.deleteAllObjects(documentObjectPrefix(ctx, { projectId: project.id, id: documentId })),
      ),
    );
    return;
  }

  const vectorsRemoved = await tenantVectors(ctx, deps.pinecone).deleteDocument(document);
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
  // An upload through a URL signed before the delete may still land after this; the next DELETE of
  // this id or the scheduled orphan sweep removes it.
  await tenantVectors(ctx, deps.pinecone).deleteDocument(document);
  // Never throws: the delete has committed, and a refused KV write must not make it a 503.
  await retrievalCache(ctx, deps.kv).invalidate({ background: deps.background });
}
