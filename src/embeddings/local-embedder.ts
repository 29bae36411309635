// A deterministic embedder for development and tests. It is lexical, not semantic: a text becomes
// hashed features (lower-cased words, and character trigrams inside words so "ingest" and
// "ingestion" overlap), each added with a pseudo-random sign to one of `dimension` buckets, then
// scaled to unit length. Texts that share words score high; synonyms score nothing. Same text,
// same vector, on every machine, with no network and no model download.
import { type Embedder, normalise } from './embedder.ts';

export const LOCAL_EMBEDDER_DIMENSION = 384;
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;
const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a, 32 bits: fast, stable and spreads short strings well enough for feature hashing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function addFeature(vector: number[], feature: string, weight: number): void {
  const hash = fnv1a(feature);
  // The top bit picks the sign, so unrelated features cancel out on average instead of piling up.
  const sign = hash & 0x80000000 ? -1 : 1;
  const bucket = (hash & 0x7fffffff) % vector.length;
  vector[bucket] = (vector[bucket] as number) + sign * weight;
}

/** The embedding of one text: unit length, or a fixed unit vector for a text with no words. */
export function lexicalVector(text: string, dimension = LOCAL_EMBEDDER_DIMENSION): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    addFeature(vector, `w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `c:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  // Vector stores refuse an all-zero vector; a wordless text gets one fixed direction instead.
  if (vector.every((value) => value === 0)) addFeature(vector, 'empty', 1);
  return normalise(vector);
}

export function localEmbedder(dimension = LOCAL_EMBEDDER_DIMENSION): Embedder {
  if (!Number.isInteger(dimension) || dimension < 8) throw new Error('the local embedder needs at least 8 dimensions');
  return {
    id: `local-lexical-${dimension}`,
    dimension,
    maxBatch: 512,
    // Symmetric: a query and a passage are hashed the same way.
    embed: async (texts) => texts.map((text) => lexicalVector(text, dimension)),
  };
}
