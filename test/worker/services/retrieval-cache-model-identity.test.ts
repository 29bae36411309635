// A cached retrieval is only as good as the model that computed it: the cache key names the
// embedder (its id) and the vectors' dimension, so switching EMBEDDER (or the index's dimension)
// never serves matches computed with another model, not even within the entries' TTL.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Embedder } from '../../../src/embeddings/embedder.ts';
import { localEmbedder } from '../../../src/embeddings/local-embedder.ts';
import { retrieve } from '../../../src/services/retrieval/retrieve.ts';
import { retrievalCache } from '../../../src/stores/retrieval-cache.ts';
import { createTenant, type TenantFixture } from '../db/fixtures.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { recordingDeps } from './service-deps.ts';

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant(1);
});

/** Another model of the same size: its own id, and vectors that differ from the local embedder's. */
function otherModel(): Embedder {
  const local = localEmbedder();
  return {
    ...local,
    id: 'test:another-model',
    embed: async (texts, purpose) => (await local.embed(texts, purpose)).map((vector) => [...vector].reverse()),
  };
}

describe('the retrieval cache key names the model', () => {
  it('a query asked again under another EMBEDDER is computed again, not served from cache', async () => {
    const recording = recordingDeps();
    const queries = () => recording.pinecone.filter((r) => r.url.endsWith('/query')).length;
    const question = `lantern ${crypto.randomUUID()}`;
    const askQuestion = (embedder: Embedder) =>
      retrieve({
        ctx: a.ctx,
        deps: { ...recording.deps, embedder },
        input: { query: question, topK: 5, projectId: a.projectIds[0] },
      });
    const local = recording.deps.embedder;
    await askQuestion(local);
    await askQuestion(local);
    expect(queries()).toBe(1);
    await askQuestion(otherModel());
    expect(queries()).toBe(2);
    // Each model's entry is its own: both are served from cache from now on.
    await askQuestion(otherModel());
    await askQuestion(local);
    expect(queries()).toBe(2);
  });

  it('the same id at another dimension is another key', async () => {
    const ctx = tenantContext(crypto.randomUUID());
    const cache = retrievalCache(ctx, env.CACHE);
    const compute = vi.fn(async () => [{ id: `${crypto.randomUUID()}#0`, score: 0.5 }]);
    const query = { projectId: crypto.randomUUID(), query: 'q', topK: 3 };
    for (const dimension of [384, 768, 384]) {
      const read = await cache.readThrough({ ...query, embedder: { id: 'same-id', dimension } }, compute);
      await read.remember();
    }
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
