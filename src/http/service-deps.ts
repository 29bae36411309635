// The one composition root: what services get besides the TenantContext. Clients that hold only
// configuration (the Pinecone index, the embedder, the chat model, the chunking options) are built
// once per isolate, keyed by the parsed Settings object (itself one per Worker env); the rest (request
// id, KV binding, waitUntil) per request. Building is lazy, so a route that never calls a service
// (whoami, a refused scope) never fails on an unrelated misconfiguration; a configuration that
// cannot work (EMBEDDER, CHAT_MODEL, chunk sizes) fails closed with 500 `misconfigured` naming the
// setting, before any tenant data is touched, and is not cached, so a fixed setting takes effect.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { oncePerSettings } from '../config/once-per-settings.ts';
import { type Settings, SettingsError } from '../config/settings.ts';
import { chooseEmbedder } from '../embeddings/choose-embedder.ts';
import { chooseChatModel } from '../services/conversations/chat-model.ts';
import type { ServiceDeps } from '../services/service-deps.ts';
import { pineconeIndex } from '../stores/pinecone-index.ts';
import type { TenantContext } from '../tenancy/context.ts';
import { assertChunkOptions, type ChunkOptions, DEFAULT_CHUNK_OPTIONS } from '../text/chunk-text.ts';
import type { AppEnv } from './app-env.ts';

type IsolateDeps = Pick<ServiceDeps, 'pinecone' | 'embedder' | 'chat' | 'chunking'>;

export const isolateDeps = oncePerSettings(
  (settings: Settings, env: object): IsolateDeps => ({
    pinecone: pineconeIndex(settings),
    embedder: chooseEmbedder(settings, env),
    chat: chooseChatModel(settings, env),
    chunking: chunkingFrom(settings),
  }),
);

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

/** Mounted after settings: every later handler reads its dependencies from `c.get('services')()`. */
export const services = () =>
  createMiddleware<AppEnv>(async function services(c, next) {
    let built: ServiceDeps | undefined;
    c.set('services', () => {
      built ??= {
        ...isolateDeps(c.get('settings'), c.env),
        settings: c.get('settings'),
        requestId: c.get('requestId'),
        kv: c.env.CACHE,
        background: backgroundOf(c),
      };
      return built;
    });
    await next();
  });

/** `{ ctx, deps }` for a service call from this request. */
export function serviceCall(c: Context<AppEnv>): { ctx: TenantContext; deps: ServiceDeps } {
  return { ctx: c.get('tenant'), deps: c.get('services')() };
}
