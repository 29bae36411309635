// How much one document may become, relative to the tenant's upload limit: at most twice
// `maxUploadBytes` characters of extracted text, and at most twice as many chunks as that much
// text fills at the chunk size. Extraction is linear (JSON keys written once, HTML parsed), so an
// ordinary document stays well inside both; these bound what a hostile one can cost in embeddings,
// vectors and rows. Held the same way for an upload (the document ends `failed` with the message)
// and for raw text (413 before anything is written).
import { type ChunkOptions, chunkText, type TextChunk } from './chunk-text.ts';
import { DocumentTooLarge } from './ingestion-failure.ts';

export interface DocumentLimits {
  /** The tenant's `limits.maxUploadBytes`, which the others derive from. */
  maxUploadBytes: number;
  /** Most characters of text one document may yield: twice the upload limit. */
  maxTextChars: number;
  /** Most chunks one document may make: twice `ceil(maxTextChars / chunkSize)`. */
  maxChunks: number;
  chunkSize: number;
}

export function documentLimits(maxUploadBytes: number, chunking: ChunkOptions): DocumentLimits {
  const maxTextChars = 2 * maxUploadBytes;
  return {
    maxUploadBytes,
    maxTextChars,
    maxChunks: 2 * Math.ceil(maxTextChars / chunking.size),
    chunkSize: chunking.size,
  };
}

export const textTooLong = (limits: DocumentLimits) =>
  new DocumentTooLarge(
    `The document's text is longer than ${limits.maxTextChars} characters, the limit per document ` +
      `(twice this tenant's upload limit of ${limits.maxUploadBytes} bytes)`,
  );

export const tooManyChunks = (limits: DocumentLimits) =>
  new DocumentTooLarge(
    `The document makes more than ${limits.maxChunks} chunks, the limit per document ` +
      `(two per ${limits.chunkSize} characters of the ${limits.maxTextChars}-character text limit)`,
  );

/** The chunks of `text`, or DocumentTooLarge naming the limit it passes. */
export function limitedChunks(text: string, chunking: ChunkOptions, limits: DocumentLimits): TextChunk[] {
  if (text.length > limits.maxTextChars) throw textTooLong(limits);
  const chunks = chunkText(text, chunking, limits.maxChunks + 1);
  if (chunks.length > limits.maxChunks) throw tooManyChunks(limits);
  return chunks;
}
