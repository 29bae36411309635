// The document types ingestion can read: the one list. Anything else is refused with 415 and this
// list when the document is created (POST /v1/documents, before any row or upload URL exists), and
// again at `complete` time, before any work is queued, for a row that predates that check.
import { ApiError } from '../domain/api-error.ts';

export const SUPPORTED_CONTENT_TYPES = ['text/plain', 'text/markdown', 'text/html', 'application/json'] as const;
export type SupportedContentType = (typeof SUPPORTED_CONTENT_TYPES)[number];

/** `Text/HTML; charset=utf-8` → `text/html`. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isSupportedContentType(contentType: string): boolean {
  return (SUPPORTED_CONTENT_TYPES as readonly string[]).includes(mediaTypeOf(contentType));
}

export function supportedContentType(contentType: string): SupportedContentType {
  const mediaType = mediaTypeOf(contentType);
  if (isSupportedContentType(mediaType)) return mediaType as SupportedContentType;
  throw new ApiError(
    'unsupported_media_type',
    `Cannot ingest this content type; supported: ${SUPPORTED_CONTENT_TYPES.join(', ')}`,
  );
}
