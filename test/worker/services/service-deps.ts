// ServiceDeps for calling services directly: the local stack, the local embedder, small chunks so
// a short text spans several batches, and every Pinecone and Neon request countable or failable.
import { env } from 'cloudflare:workers';
import { neonConfig } from '@neondatabase/serverless';
import { localEmbedder } from '../../../src/embeddings/local-embedder.ts';
import type { ServiceDeps } from '../../../src/services/service-deps.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { testSettings } from '../helpers/settings.ts';

export interface Recorded {
  url: string;
  body: string;
}

export interface RecordingDeps {
  deps: ServiceDeps;
  pinecone: Recorded[];
  /** Fails the next Pinecone request whose URL ends with `suffix`, once `after` such requests went. */
  failPinecone(suffix: string, after: number): void;
}

export function recordingDeps(overrides: Partial<ServiceDeps> = {}): RecordingDeps {
  const pinecone: Recorded[] = [];
  let failing: { suffix: string; remaining: number } | undefined;
  const fetchApi = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    pinecone.push({ url, body: typeof init?.body === 'string' ? init.body : '' });
    if (failing && url.endsWith(failing.suffix) && failing.remaining-- === 0) {
      failing = undefined;
      throw new TypeError('Network connection lost.');
    }
    return fetch(input, init);
  }) as typeof fetch;
  const settings = testSettings();
  const deps: ServiceDeps = {
    settings,
    requestId: `test-${crypto.randomUUID()}`,
    embedder: localEmbedder(),
    kv: env.CACHE,
    pinecone: pineconeIndex(settings, { fetchApi, maxRetries: 0 }),
    chunking: { size: 200, overlap: 20 },
    ...overrides,
  };
  return {
    deps,
    pinecone,
    failPinecone: (suffix, after) => {
      failing = { suffix, remaining: after };
    },
  };
}

/** What a hook sees of a batch: its JSON body, in which SQL quotes appear escaped (\\"chunks\\"). */
export type NeonHook = (body: string) => Promise<'fail' | undefined> | 'fail' | undefined;

/**
 * Counts Neon SQL-over-HTTP requests whose body contains `marker` until the returned stop(); `hook`
 * runs (and is awaited) before each such request is sent, and fails it by answering 'fail'.
 */
export function countNeonRequests(marker: string, hook?: NeonHook) {
  const original = neonConfig.fetchFunction;
  let count = 0;
  neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
    const body = String(init.body);
    if (body.includes(marker)) {
      count++;
      if ((await hook?.(body)) === 'fail') throw new TypeError('Network connection lost.');
    }
    return fetch(url, init);
  };
  return {
    count: () => count,
    stop: () => {
      neonConfig.fetchFunction = original;
    },
  };
}
