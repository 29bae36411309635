// Embeddings from Workers AI through the `AI` binding: @cf/baai/bge-base-en-v1.5, 768 dimensions,
// up to 100 texts a call. `cls` pooling, which Cloudflare recommends for accuracy; its vectors are
// not comparable with the default `mean` pooling, so changing it means re-ingesting everything.
import { type Embedder, EmbedderUnavailableError, normalise } from './embedder.ts';

export const WORKERS_AI_EMBEDDING_MODEL = '@cf/baai/bge-base-en-v1.5';
export const WORKERS_AI_EMBEDDING_DIMENSION = 768;
// BGE v1.5 retrieves better when a short query carries this instruction; passages go as they are.
const QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

/** The part of the `Ai` binding used here; tests pass a stand-in. */
export interface WorkersAiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

export function isWorkersAiBinding(value: unknown): value is WorkersAiBinding {
  return typeof (value as { run?: unknown } | null | undefined)?.run === 'function';
}

export function workersAiEmbedder(ai: WorkersAiBinding): Embedder {
  return {
    id: `workers-ai:${WORKERS_AI_EMBEDDING_MODEL}`,
    dimension: WORKERS_AI_EMBEDDING_DIMENSION,
    maxBatch: 100,
    async embed(texts, purpose) {
      const text = purpose === 'query' ? texts.map((t) => QUERY_INSTRUCTION + t) : [...texts];
      let answer: unknown;
      try {
        answer = await ai.run(WORKERS_AI_EMBEDDING_MODEL, { text, pooling: 'cls' });
      } catch (error) {
        throw new EmbedderUnavailableError('Workers AI embedding failed', { cause: error });
      }
      const data = (answer as { data?: unknown } | null)?.data;
      if (!Array.isArray(data)) throw new Error('Workers AI returned no embeddings (an async response?)');
      return data.map((vector: number[]) => normalise(vector));
    },
  };
}
