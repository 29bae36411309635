// What services need besides the tenant context: settings, the request id for audit rows, and the
// shared clients from which each service makes its tenant-scoped stores (tenantVectors(ctx, …),
// tenantObjects(ctx, …), retrievalCache(ctx, …)). Nothing here knows a tenant.
import type { Settings } from '../config/settings.ts';
import type { Embedder } from '../embeddings/embedder.ts';
import type { PineconeIndex } from '../stores/pinecone-index.ts';
import type { TenantObjectsOptions } from '../stores/tenant-objects.ts';
import type { TenantContext } from '../tenancy/context.ts';
import type { ChunkOptions } from '../text/chunk-text.ts';
import type { ChatModel } from './conversations/chat-model.ts';

export interface ServiceDeps {
  settings: Settings;
  requestId: string;
  embedder: Embedder;
  /** The CACHE KV namespace; only retrievalCache(ctx, kv) touches it. */
  kv: KVNamespace;
  pinecone: PineconeIndex;
  /** Tests fail or count object-store requests with it. */
  objectOptions?: TenantObjectsOptions;
  /** Undefined: answers are retrieval-only, and say so. */
  chat?: ChatModel;
  chunking: ChunkOptions;
  /** Runs work after the response (the Worker's waitUntil); without it, work runs inline. */
  background?: (work: Promise<unknown>) => void;
}

export interface ServiceCall<Input> {
  ctx: TenantContext;
  deps: ServiceDeps;
  input: Input;
}
