// The document types ingestion can read. Anything else is refused with 415 and this list, at
// `complete` time, before any work is queued.
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
