// Plain text out of a supported document. Extraction for retrieval, not rendering and not
// sanitising: what matters is that the words a reader would see end up in the chunks, and that
// markup, scripts and styles do not. A document that cannot be read is an IngestionFailure, whose
// message becomes the document's failure reason (it never quotes the document).
import { type SupportedContentType, supportedContentType } from './content-types.ts';
import { htmlToText } from './html-to-text.ts';
import { isStorableText } from './storable-text.ts';

export class IngestionFailure extends Error {
  override name = 'IngestionFailure';
}

/** Text of `bytes` read as `contentType`; 415 for an unsupported type, IngestionFailure for bad content. */
export function extractText(contentType: string, bytes: Uint8Array): string {
  const text = readableText(supportedContentType(contentType), bytes);
  // Valid UTF-8 may still hold NUL (a UTF-16 file read as UTF-8, say), and a JSON escape may name a
  // NUL or a lone surrogate: chunks are Postgres text, which cannot hold them.
  if (!isStorableText(text)) {
    throw new IngestionFailure(
      'The document contains NUL (U+0000) or unpaired surrogate characters; save it as UTF-8 text',
    );
  }
  return text;
}

function readableText(type: SupportedContentType, bytes: Uint8Array): string {
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
      return htmlToText(text);
    case 'application/json':
      return jsonToText(text);
  }
}

/** One `path: value` line per scalar, walked with an explicit stack so depth cannot overflow it. */
export function jsonToText(source: string): string {
  let root: unknown;
  try {
    root = JSON.parse(source);
  } catch {
    throw new IngestionFailure('The document is not valid JSON');
  }
  const lines: string[] = [];
  const stack: Array<[string, unknown]> = [['', root]];
  while (stack.length > 0) {
    const [path, value] = stack.pop() as [string, unknown];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object') {
      lines.push(path ? `${path}: ${String(value)}` : String(value));
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, i) => [`${path}[${i}]`, item])
      : Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item]);
    // Reversed onto the stack so lines come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i] as [string, unknown]);
  }
  return lines.join('\n');
}
