// Presigned upload and download URLs for a document's object. Both take the document row as the
// database returned it under the tenant's RLS context: without such a row there is nothing to sign.
import type { AwsClient } from 'aws4fetch';
import type { Settings } from '../config/settings.ts';
import type { findDocumentById } from '../db/repositories/document-records.ts';
import { ApiError, notFound } from '../domain/api-error.ts';
import type { TenantContext } from '../tenancy/context.ts';
import { documentObjectKey, filenameOf, type ObjectKey, storedObjectKey } from '../tenancy/storage-names.ts';
import { amzDate, assertInsideTenant, objectUrl } from './object-urls.ts';
import { assertProjectInScope } from './project-scope.ts';

/** A documents row as the repository returns it (src/db/repositories/document-records.ts). */
export type FoundDocument = Awaited<ReturnType<typeof findDocumentById>>[number];

export const MAX_UPLOAD_EXPIRY_SECONDS = 300;
export const MAX_DOWNLOAD_EXPIRY_SECONDS = 900;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export interface UploadRequest {
  filename: unknown;
  contentType: string;
  contentLength: number;
  expiresInSeconds?: number;
}

export interface PresignedRequest {
  method: 'PUT' | 'GET';
  url: string;
  /** Headers the client must send exactly as given: they are part of the signature. */
  headers: Record<string, string>;
  /** For the document row; never for a response body (docs/threat-model.md T7). */
  objectKey: ObjectKey;
  expiresAt: Date;
}

export interface PresignDeps {
  ctx: TenantContext;
  settings: Settings;
  client: AwsClient;
  now: () => Date;
}

export async function presignUpload(deps: PresignDeps, document: FoundDocument, request: UploadRequest) {
  const { ctx } = deps;
  assertDocumentInContext(ctx, document);
  const objectKey = documentObjectKey(ctx, document, request.filename); // 400 on any unsafe name
  if (!CONTENT_TYPE.test(request.contentType)) throw new ApiError('bad_request', 'Unsupported content type.');
  const { contentLength } = request;
  if (!Number.isInteger(contentLength) || contentLength < 1 || contentLength > ctx.limits.maxUploadBytes) {
    throw new ApiError('bad_request', `The upload must be 1–${ctx.limits.maxUploadBytes} bytes.`);
  }
  // Signed, so the store refuses any other type or length (a larger body has a larger length).
  const headers = { 'content-type': request.contentType, 'content-length': String(contentLength) };
  const expires = expiry(request.expiresInSeconds, MAX_UPLOAD_EXPIRY_SECONDS);
  return sign(deps, 'PUT', objectKey, expires, headers, {});
}

export async function presignDownload(deps: PresignDeps, document: FoundDocument, expiresInSeconds?: number) {
  const { ctx } = deps;
  assertDocumentInContext(ctx, document);
  const objectKey = document.objectKey === null ? undefined : storedObjectKey(ctx, document, document.objectKey);
  if (!objectKey) throw notFound();
  const expires = expiry(expiresInSeconds, MAX_DOWNLOAD_EXPIRY_SECONDS);
  const query = { 'response-content-disposition': attachment(filenameOf(objectKey)) };
  return sign(deps, 'GET', objectKey, expires, {}, query);
}

async function sign(
  { ctx, settings, client, now }: PresignDeps,
  method: 'PUT' | 'GET',
  objectKey: ObjectKey,
  expires: number,
  headers: Record<string, string>,
  query: Record<string, string>,
): Promise<PresignedRequest> {
  const url = objectUrl(settings, objectKey);
  // aws4fetch would default to 86,400 s: the expiry is always set here.
  url.searchParams.set('X-Amz-Expires', String(expires));
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const signedAt = now();
  const signed = await client.sign(url.toString(), {
    method,
    headers,
    aws: { signQuery: true, allHeaders: true, datetime: amzDate(signedAt) },
  });
  assertInsideTenant(ctx, settings, objectKey, signed.url);
  return { method, url: signed.url, headers, objectKey, expiresAt: new Date(signedAt.getTime() + expires * 1000) };
}

/** A row of another tenant or of a project out of the principal's reach looks like no row at all. */
function assertDocumentInContext(ctx: TenantContext, document: FoundDocument): void {
  if (document?.tenantId !== ctx.tenantId) throw notFound();
  assertProjectInScope(ctx, document.projectId);
}

function expiry(requested: number | undefined, max: number): number {
  const seconds = requested ?? max;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max) throw new Error(`expiry must be 1–${max} s`);
  return seconds;
}

/** RFC 6266: an ASCII fallback and the exact UTF-8 name; the header stays ASCII either way. */
function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
