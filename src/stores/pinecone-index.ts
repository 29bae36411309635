import { Pinecone } from '@pinecone-database/pinecone';
import type { Settings } from '../config/settings.ts';

/** The Pinecone index data plane. The host is configured, so no control-plane lookup happens. */
export function pineconeIndex(settings: Settings) {
  return new Pinecone({ apiKey: settings.PINECONE_API_KEY }).index({ host: settings.PINECONE_INDEX_HOST });
}
