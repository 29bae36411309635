// The Embedder: text in, one vector per text out. Implementations differ in where the vectors come
// from (Workers AI, Pinecone Inference, a local lexical hash); every caller goes through embedTexts,
// which batches to the implementation's limit and checks what comes back, so a short or wrongly
// sized answer fails loudly instead of landing in the index.
import { ApiError } from '../domain/api-error.ts';

/** Retrieval models embed a question differently from the passage that answers it. */
export type EmbeddingPurpose = 'document' | 'query';

export interface Embedder {
  /** Names the implementation and model, e.g. `workers-ai:@cf/baai/bge-base-en-v1.5`. */
  readonly id: string;
  readonly dimension: number;
  /** Most texts one call may carry. */
  readonly maxBatch: number;
  embed(texts: readonly string[], purpose: EmbeddingPurpose): Promise<number[][]>;
}

export class EmbedderUnavailableError extends Error {
  override name = 'EmbedderUnavailableError';
}

/** Embeds any number of texts, `maxBatch` at a time, checking count and dimension of every answer. */
export async function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  purpose: EmbeddingPurpose,
): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += embedder.maxBatch) {
    const batch = texts.slice(start, start + embedder.maxBatch);
    let answer: number[][];
    try {
      answer = await embedder.embed(batch, purpose);
    } catch (error) {
      if (!(error instanceof EmbedderUnavailableError)) throw error;
      const unavailable = new ApiError('unavailable', 'The embedding service is unavailable; retry shortly.', {
        'Retry-After': '5',
      });
      unavailable.cause = error;
      throw unavailable;
    }
    if (answer.length !== batch.length) {
      throw new Error(`${embedder.id} returned ${answer.length} vectors for ${batch.length} texts`);
    }
    for (const vector of answer) {
      if (vector.length !== embedder.dimension || !vector.every(Number.isFinite)) {
        throw new Error(`${embedder.id} returned a vector that is not ${embedder.dimension} finite numbers`);
      }
      vectors.push(vector);
    }
  }
  return vectors;
}

/** Scales a vector to unit length (cosine and dot product then agree); a zero vector stays zero. */
export function normalise(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((value) => value / norm);
}
