import { Pinecone } from '@pinecone-database/pinecone';
import { boundedFetch } from '../config/bounded-fetch.ts';
import type { Settings } from '../config/settings.ts';
import { TIMEOUTS } from '../config/timeouts.ts';

export interface PineconeIndexOptions {
  /** Tests count or fail requests with it; it is bounded by the timeout like the default fetch. */
  fetchApi?: typeof fetch;
  /** Each call's limit (TIMEOUTS.vectorStoreMs); tests shorten it. */
  timeoutMs?: number;
  /** Retries of a 5xx. One by default: a Worker request should answer 503 soon rather than late. */
  maxRetries?: number;
}

/**
 * The Pinecone index data plane. The host is configured, so no control-plane lookup happens. Each
 * call is bounded (a timeout or a cut-off answer is the client's PineconeConnectionError → 503).
 */
export function pineconeIndex(settings: Settings, options: PineconeIndexOptions = {}) {
  return new Pinecone({
    apiKey: settings.PINECONE_API_KEY,
    maxRetries: options.maxRetries ?? 1,
    fetchApi: boundedFetch(options.timeoutMs ?? TIMEOUTS.vectorStoreMs, options.fetchApi) as typeof fetch,
  }).index({ host: settings.PINECONE_INDEX_HOST });
}

export type PineconeIndex = ReturnType<typeof pineconeIndex>;
