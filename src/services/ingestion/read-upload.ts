// The uploaded object of a document, read from the tenant's object store by the key the server
// made (checked again against the row), within the tenant's upload limit, and turned into text.
import type { DocumentRow } from '../../db/repositories/document-records.ts';
import { ApiError } from '../../domain/api-error.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { storedObjectKey } from '../../tenancy/storage-names.ts';
import { documentLimits } from '../../text/document-limits.ts';
import { extractText, IngestionFailure } from '../../text/extract-text.ts';
import type { ServiceDeps } from '../service-deps.ts';

const uploadKey = (ctx: TenantContext, document: DocumentRow) =>
  document.objectKey === null ? undefined : storedObjectKey(ctx, document, document.objectKey);

/**
 * 409 unless the document's object is in the store. Queueing without it could only end in
 * 'failed', and would throw away the state of a document that was ready before.
 */
export async function assertUploaded(ctx: TenantContext, deps: ServiceDeps, document: DocumentRow): Promise<void> {
  const key = uploadKey(ctx, document);
  if (!key) throw new ApiError('conflict', 'This document was ingested as text; send new text to /v1/ingest');
  if (!(await tenantObjects(ctx, deps.settings, deps.objectOptions).hasObject(key))) {
    throw new ApiError('conflict', 'Upload the file before completing the document');
  }
}

export function readUploadedText(ctx: TenantContext, deps: ServiceDeps, document: DocumentRow) {
  return async (): Promise<string> => {
    const key = uploadKey(ctx, document);
    if (!key) throw new IngestionFailure('The document has no uploaded content');
    const response = await tenantObjects(ctx, deps.settings, deps.objectOptions).getObject(key);
    // Checked before queueing (assertUploaded); this is an object deleted since.
    if (!response) throw new IngestionFailure('The upload has not arrived; upload the file, then call complete again');
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > ctx.limits.maxUploadBytes) {
      await response.body?.cancel();
      throw new IngestionFailure(`The upload is larger than ${ctx.limits.maxUploadBytes} bytes`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > ctx.limits.maxUploadBytes) {
      throw new IngestionFailure(`The upload is larger than ${ctx.limits.maxUploadBytes} bytes`);
    }
    // Stops as soon as the text passes the per-document limit (the run checks it again, with chunks).
    return extractText(document.contentType, bytes, documentLimits(ctx.limits.maxUploadBytes, deps.chunking));
  };
}
