// The bridge from a Hono request to a service call: the TenantContext the edge resolved, and the
// ServiceDeps built from settings and bindings. Choosing the embedder and chat model here is where
// a configuration that cannot work (EMBEDDER, CHAT_MODEL, chunk sizes) fails closed, with 500
// `misconfigured` naming the setting, before any tenant data is touched.
import type { Context } from 'hono';
import { type Settings, SettingsError } from '../../config/settings.ts';
import { chooseEmbedder } from '../../embeddings/choose-embedder.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { chooseChatModel } from '../../services/conversations/chat-model.ts';
import type { ServiceDeps } from '../../services/service-deps.ts';
import { type PineconeIndex, pineconeIndex } from '../../stores/pinecone-index.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { assertChunkOptions, type ChunkOptions, DEFAULT_CHUNK_OPTIONS } from '../../text/chunk-text.ts';

const indexes = new WeakMap<Settings, PineconeIndex>();

export function chunkingFrom(settings: Settings): ChunkOptions {
  const options = {
    size: settings.CHUNK_SIZE ?? DEFAULT_CHUNK_OPTIONS.size,
    overlap: settings.CHUNK_OVERLAP ?? DEFAULT_CHUNK_OPTIONS.overlap,
  };
  try {
    assertChunkOptions(options);
  } catch (error) {
    throw new SettingsError(`Invalid configuration: CHUNK_SIZE / CHUNK_OVERLAP: ${(error as Error).message}.`);
  }
  return options;
}

function backgroundOf(c: Context<AppEnv>): ServiceDeps['background'] {
  try {
    const execution = c.executionCtx; // Hono throws when the request came without one (tests, app.request)
    return (work) => execution.waitUntil(work);
  } catch {
    return undefined;
  }
}

export function serviceDeps(c: Context<AppEnv>): ServiceDeps {
  const settings = c.get('settings');
  let pinecone = indexes.get(settings);
  if (!pinecone) {
    pinecone = pineconeIndex(settings);
    indexes.set(settings, pinecone);
  }
  return {
    settings,
    requestId: c.get('requestId'),
    embedder: chooseEmbedder(settings, c.env),
    kv: c.env.CACHE,
    pinecone,
    chat: chooseChatModel(settings, c.env),
    chunking: chunkingFrom(settings),
    background: backgroundOf(c),
  };
}

/** `{ ctx, deps }` for a service call from this request. */
export function serviceCall(c: Context<AppEnv>): { ctx: TenantContext; deps: ServiceDeps } {
  return { ctx: c.get('tenant'), deps: serviceDeps(c) };
}
