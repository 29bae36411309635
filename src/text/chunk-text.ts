// Splits text into overlapping chunks of at most `size` characters. A chunk ends at the best
// boundary in its second half — a Markdown heading, a blank line, else a line or sentence end,
// else a space — so chunks rarely cut a sentence; the next chunk starts `overlap`
// characters earlier, at a word start, so a sentence split between two chunks is whole in one.
// Deterministic: the same text and options give the same chunks, which re-ingestion relies on.

export interface ChunkOptions {
  /** Most characters in one chunk. */
  size: number;
  /** Characters the next chunk repeats from the end of the previous one; under half of `size`. */
  overlap: number;
}

export interface TextChunk {
  chunkIndex: number;
  content: string;
  /** Approximate: four characters per token, the usual rule of thumb for English. */
  tokenCount: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { size: 1000, overlap: 150 };

export function assertChunkOptions({ size, overlap }: ChunkOptions): void {
  if (!Number.isInteger(size) || size < 50) throw new Error('chunk size must be a whole number of at least 50');
  if (!Number.isInteger(overlap) || overlap < 0 || overlap * 2 >= size) {
    throw new Error('chunk overlap must be a whole number from 0 to under half the chunk size');
  }
}

/** Line endings unified, trailing spaces dropped, runs of blank lines collapsed to one. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Best first; `cut` is where the break falls inside the match. A Markdown heading starts a chunk.
const BOUNDARIES = [
  { mark: '\n#', cut: 1 },
  { mark: '\n\n', cut: 2 },
  { mark: '\n', cut: 1 },
  { mark: '. ', cut: 2 },
  { mark: '? ', cut: 2 },
  { mark: '! ', cut: 2 },
  { mark: ' ', cut: 1 },
];

/**
 * Where a chunk starting at `start` should end: the latest good boundary in its second half. Each
 * mark is looked for only there (a window from just before `earliest` to just past `limit`, for a
 * mark that straddles it), never back through the whole text: that made chunking quadratic in the
 * length of a text that lacks some mark.
 */
function chunkEnd(text: string, start: number, size: number): number {
  const limit = start + size;
  if (limit >= text.length) return text.length;
  const earliest = start + Math.floor(size / 2);
  const from = earliest - 1;
  const window = text.slice(from, limit + 1);
  for (const { mark, cut } of BOUNDARIES) {
    const at = from + window.lastIndexOf(mark, limit - cut - from);
    if (at >= from && at + cut > earliest) return at + cut;
  }
  return limit; // one long word: cut it
}

/** The overlap's start, moved forward to the beginning of a word. */
function nextStart(text: string, start: number, end: number, overlap: number): number {
  let next = end - overlap;
  if (next <= start) return end;
  while (next < end && !/\s/.test(text[next - 1] as string)) next++;
  return next;
}

/** `stopAfter`: return once that many chunks are made (a caller refusing more need not make them all). */
export function chunkText(
  text: string,
  options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
  stopAfter = Number.POSITIVE_INFINITY,
): TextChunk[] {
  assertChunkOptions(options);
  const normalised = normaliseWhitespace(text);
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < normalised.length && chunks.length < stopAfter) {
    const end = chunkEnd(normalised, start, options.size);
    const content = normalised.slice(start, end).trim();
    if (content) chunks.push({ chunkIndex: chunks.length, content, tokenCount: Math.ceil(content.length / 4) });
    if (end >= normalised.length) break;
    start = nextStart(normalised, start, end, options.overlap);
  }
  return chunks;
}
