// Content ingestion cannot use. The message becomes the document's failure reason, so it never
// quotes the document; it says what to change.

export class IngestionFailure extends Error {
  override name = 'IngestionFailure';
}

/** Over a per-document limit (src/text/document-limits.ts); the message names the limit. */
export class DocumentTooLarge extends IngestionFailure {
  override name = 'DocumentTooLarge';
}
