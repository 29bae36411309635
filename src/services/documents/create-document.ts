// POST /v1/documents: a document row and a presigned PUT for its content. Everything the signature
// depends on (file name, type, size) is checked before the row exists, so a refused request leaves
// nothing behind; the URL is signed only for the row as Postgres returned it under RLS. A type that
// ingestion cannot read is a 415 here, not an upload that could only fail at complete. With the
// tenant's `uploads` feature off there are no uploads: 403 feature_disabled, before anything else.
import { findDocumentByExternalId } from '../../db/repositories/document-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { documentObjectKey } from '../../tenancy/storage-names.ts';
import { supportedContentType } from '../../text/content-types.ts';
import { auditEntry } from '../audit.ts';
import { resolveProjectId } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';
import { documentView } from './document-view.ts';
import { insertDocumentWithAudit } from './insert-document.ts';

export interface CreateDocumentInput {
  projectId?: string;
  title: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  externalId?: string;
}

export const UPLOADS_DISABLED = 'Uploads are not enabled for this tenant (feature flag: uploads)';

/**
 * The `uploads` flag covers what moves a file through the object store: a presigned upload and its
 * completion. POST /v1/ingest carries its text in the request and is not an upload.
 */
export function assertUploadsEnabled(ctx: TenantContext): void {
  if (!isFeatureOn(ctx, 'uploads')) throw new ApiError('feature_disabled', UPLOADS_DISABLED);
}

export async function createDocument({ ctx, deps, input }: ServiceCall<CreateDocumentInput>) {
  assertUploadsEnabled(ctx);
  supportedContentType(input.contentType); // 415 listing the supported types, before any round trip
  const projectId = await resolveProjectId({ ctx, deps, input: input.projectId });
  const id = crypto.randomUUID();
  const objectKey = documentObjectKey(ctx, { projectId, id }, input.filename); // 400 on an unsafe name
  if (input.sizeBytes > ctx.limits.maxUploadBytes) {
    throw new ApiError('bad_request', `sizeBytes: must be at most ${ctx.limits.maxUploadBytes}`);
  }
  const record = {
    id,
    projectId,
    title: input.title,
    contentType: input.contentType,
    sizeBytes: input.sizeBytes,
    objectKey,
    externalId: input.externalId ?? null,
  };
  const row = await insertDocumentWithAudit({
    ctx,
    deps,
    input: {
      record,
      events: [auditEntry(ctx, deps, { action: 'document.create', projectId, targetType: 'document', targetId: id })],
    },
  });
  if (!row) throw await externalIdTaken({ ctx, deps, input: { projectId, externalId: record.externalId } });
  const upload = await tenantObjects(ctx, deps.settings, deps.objectOptions).presignUpload(row, {
    filename: input.filename,
    contentType: input.contentType,
    contentLength: input.sizeBytes,
  });
  return {
    document: documentView(row, undefined),
    upload: {
      method: upload.method,
      url: upload.url,
      headers: upload.headers,
      expiresAt: upload.expiresAt.toISOString(),
    },
  };
}

/** The only conflict an insert can meet is this tenant's own (project, externalId). */
async function externalIdTaken({ ctx, deps, input }: ServiceCall<{ projectId: string; externalId: string | null }>) {
  if (input.externalId === null) return new Error('document insert returned no row');
  const externalId = input.externalId;
  const [existing] = await withTenant(ctx, deps.settings, (scope) => [
    findDocumentByExternalId(scope, input.projectId, externalId),
  ]);
  const id = existing[0]?.id;
  return new ApiError('conflict', `externalId: already used by document ${id ?? '(unknown)'}`);
}
