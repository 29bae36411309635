// GET /v1/documents/{id} and its presigned download. Each lookup runs in one batch with its audit
// row, whose outcome Postgres decides from the same RLS view: another tenant's document, a project
// out of reach and a random id all read as "not found", recorded alike.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { documentExists, documentProject, findDocumentById } from '../../db/repositories/document-records.ts';
import { latestIngestionEvents, toIngestionEvent } from '../../db/repositories/ingestion-journal.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import { accessEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { documentView } from './document-view.ts';

const access = (action: string, documentId: string) => ({
  action,
  targetType: 'document',
  targetId: documentId,
  projectOf: documentProject(documentId),
});

export async function getDocument({ ctx, deps, input }: ServiceCall<{ documentId: string }>) {
  const { documentId } = input;
  const [rows, events] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
    latestIngestionEvents(scope, [documentId]),
    recordAccess(scope, accessEntry(ctx, deps, access('document.read', documentId)), documentExists(documentId)),
  ]);
  const row = rows[0];
  if (!row) throw notFound();
  return documentView(row, events[0] && toIngestionEvent(events[0]));
}

export async function presignDocumentDownload({ ctx, deps, input }: ServiceCall<{ documentId: string }>) {
  const { documentId } = input;
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentById(scope, documentId),
    recordAccess(scope, accessEntry(ctx, deps, access('document.download', documentId)), documentExists(documentId)),
  ]);
  const row = rows[0];
  if (!row) throw notFound();
  // Text ingested through /v1/ingest has no object: not found, like any absent resource.
  const signed = await tenantObjects(ctx, deps.settings, deps.objectOptions).presignDownload(row);
  return { method: signed.method, url: signed.url, expiresAt: signed.expiresAt.toISOString() };
}
