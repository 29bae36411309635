// Embeddings from Pinecone Inference (`pc.inference.embed`, client v9), with the same API key as
// the index. Dense models only, with their dimensions known here so a mismatch with the index is
// caught at startup instead of on the first upsert.
import { Pinecone } from '@pinecone-database/pinecone';
import { type Embedder, EmbedderUnavailableError } from './embedder.ts';

export const DEFAULT_PINECONE_EMBEDDING_MODEL = 'llama-text-embed-v2';

interface ModelShape {
  /** Dimensions the model can produce; the first is its default. */
  dimensions: readonly number[];
  maxBatch: number;
}

/** From Pinecone's model catalogue (`GET /models/{name}`): llama-text-embed-v2 is Matryoshka-sized. */
export const PINECONE_EMBEDDING_MODELS: Readonly<Record<string, ModelShape>> = {
  'llama-text-embed-v2': { dimensions: [1024, 2048, 768, 512, 384], maxBatch: 96 },
  'multilingual-e5-large': { dimensions: [1024], maxBatch: 96 },
};

export interface PineconeEmbedderOptions {
  apiKey: string;
  model: string;
  dimension: number;
  /** Tests answer requests with it. */
  fetchApi?: typeof fetch;
}

const OUTAGES = /^Pinecone(Connection|Request|Timeout|InternalServer|Unavailable|MaxRetriesExceeded)Error$/;
const isOutage = (error: unknown) => error instanceof Error && OUTAGES.test(error.name);

export function pineconeEmbedder({ apiKey, model, dimension, fetchApi }: PineconeEmbedderOptions): Embedder {
  const shape = PINECONE_EMBEDDING_MODELS[model];
  if (!shape?.dimensions.includes(dimension)) throw new Error(`${model} cannot produce ${dimension} dimensions`);
  const inference = new Pinecone({ apiKey, maxRetries: 1, ...(fetchApi && { fetchApi }) }).inference;
  // Only a model with several sizes takes (and needs) the parameter.
  const sized = shape.dimensions.length > 1 ? { dimension } : {};
  return {
    id: `pinecone:${model}`,
    dimension,
    maxBatch: shape.maxBatch,
    async embed(texts, purpose) {
      // The client types parameters as strings but passes them through unchanged; `dimension` is a number in the API.
      const parameters = { inputType: purpose === 'query' ? 'query' : 'passage', truncate: 'END', ...sized };
      let answer: Awaited<ReturnType<typeof inference.embed>>;
      try {
        answer = await inference.embed({
          model,
          inputs: [...texts],
          parameters: parameters as unknown as Record<string, string>,
        });
      } catch (error) {
        // Down or overloaded is worth a retry (503); a refused key or model is a configuration bug.
        if (!isOutage(error)) throw error;
        throw new EmbedderUnavailableError('Pinecone Inference embedding failed', { cause: error });
      }
      return answer.data.map((embedding) => {
        if (embedding.vectorType !== 'dense') throw new Error(`${model} returned a ${embedding.vectorType} vector`);
        return embedding.values;
      });
    },
  };
}
