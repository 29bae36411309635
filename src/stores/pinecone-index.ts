import { Pinecone } from '@pinecone-database/pinecone';
import type { Settings } from '../config/settings.ts';

export interface PineconeIndexOptions {
  /** Tests count or fail requests with it. */
  fetchApi?: typeof fetch;
  /** Retries of a 5xx. One by default: a Worker request should answer 503 soon rather than late. */
  maxRetries?: number;
}

/** The Pinecone index data plane. The host is configured, so no control-plane lookup happens. */
export function pineconeIndex(settings: Settings, options: PineconeIndexOptions = {}) {
  return new Pinecone({
    apiKey: settings.PINECONE_API_KEY,
    maxRetries: options.maxRetries ?? 1,
    ...(options.fetchApi && { fetchApi: options.fetchApi }),
  }).index({ host: settings.PINECONE_INDEX_HOST });
}

export type PineconeIndex = ReturnType<typeof pineconeIndex>;
