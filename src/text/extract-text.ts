// Plain text out of a supported document. Extraction for retrieval, not rendering and not
// sanitising: what matters is that the words a reader would see end up in the chunks, and that
// markup, scripts and styles do not. Linear in the input, and held to the per-document text limit
// (src/text/document-limits.ts) as it goes. A document that cannot be read is an IngestionFailure,
// whose message becomes the document's failure reason (it never quotes the document).
import { type SupportedContentType, supportedContentType } from './content-types.ts';
import { type DocumentLimits, textTooLong } from './document-limits.ts';
import { htmlToText } from './html-to-text.ts';
import { IngestionFailure } from './ingestion-failure.ts';
import { jsonToText } from './json-to-text.ts';
import { isStorableText } from './storable-text.ts';

export { IngestionFailure } from './ingestion-failure.ts';

/**
 * Text of `bytes` read as `contentType`: 415 for an unsupported type, IngestionFailure for bad
 * content, DocumentTooLarge (an IngestionFailure) for text longer than `limits` allow.
 */
export async function extractText(contentType: string, bytes: Uint8Array, limits?: DocumentLimits): Promise<string> {
  const text = await readableText(supportedContentType(contentType), bytes, limits);
  if (limits && text.length > limits.maxTextChars) throw textTooLong(limits);
  // Valid UTF-8 may still hold NUL (a UTF-16 file read as UTF-8, say), and a JSON escape may name a
  // NUL or a lone surrogate: chunks are Postgres text, which cannot hold them.
  if (!isStorableText(text)) {
    throw new IngestionFailure(
      'The document contains NUL (U+0000) or unpaired surrogate characters; save it as UTF-8 text',
    );
  }
  return text;
}

async function readableText(
  type: SupportedContentType,
  bytes: Uint8Array,
  limits: DocumentLimits | undefined,
): Promise<string> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new IngestionFailure('The document is not valid UTF-8 text');
  }
  switch (type) {
    case 'text/plain':
    case 'text/markdown':
      // Markdown reads well as it is; chunking breaks at its blank lines and headings.
      return text;
    case 'text/html':
      return await htmlToText(text, limits);
    case 'application/json':
      return jsonToText(text, limits);
  }
}
