// KV takes one write per second per key, so the retrieval cache's generation key can refuse a write
// right after a document change committed. That refusal must not undo the answer: an ingestion that
// committed stays `ready`, a delete that committed stays a success. It is logged, retried once after
// the response when the Worker can wait (KV's next second), and otherwise the stale entries simply
// expire: none outlives RETRIEVAL_TTL_SECONDS.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteDocument } from '../../../src/services/documents/delete-document.ts';
import { getDocument } from '../../../src/services/documents/read-documents.ts';
import { ingestText } from '../../../src/services/ingestion/ingest-text.ts';
import { retrieve } from '../../../src/services/retrieval/retrieve.ts';
import { RETRIEVAL_TTL_SECONDS } from '../../../src/stores/retrieval-cache.ts';
import { tenantCachePrefix } from '../../../src/tenancy/storage-names.ts';
import { createTenant, type TenantFixture } from '../db/fixtures.ts';
import { recordingDeps } from './service-deps.ts';

/** The CACHE binding, except that the first `failures` writes of the generation key throw as KV does. */
function generationWritesFail(failures = Number.POSITIVE_INFINITY) {
  let left = failures;
  const attempts: string[] = [];
  const kv = new Proxy(env.CACHE, {
    get(target, property) {
      if (property === 'put') {
        return (key: string, ...rest: Parameters<KVNamespace['put']> extends [string, ...infer R] ? R : never) => {
          if (key.endsWith(':generation:documents')) {
            attempts.push(key);
            if (left-- > 0) return Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'));
          }
          return target.put(key, ...rest);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { kv, attempts };
}

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant(1);
});

const logged = (spy: { mock: { calls: unknown[][] } }, event: string) =>
  spy.mock.calls.filter(([line]) => typeof line === 'string' && line.includes(`"event":"${event}"`)).length;

describe('a KV failure while invalidating the retrieval cache', () => {
  it('leaves a committed ingestion ready and a committed delete a success, and logs it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { kv, attempts } = generationWritesFail();
    const { deps } = recordingDeps({ kv });
    const ingested = await ingestText({
      ctx: a.ctx,
      deps,
      input: {
        source: 'web',
        title: 'Kept',
        text: 'A document whose cache invalidation fails.',
        projectId: a.projectIds[0],
      },
    });
    expect(ingested).toMatchObject({ status: 'ready', failureReason: null });
    expect(await getDocument({ ctx: a.ctx, deps, input: { documentId: ingested.id } })).toMatchObject({
      status: 'ready',
      failureReason: null,
    });

    await expect(deleteDocument({ ctx: a.ctx, deps, input: { documentId: ingested.id } })).resolves.toBeUndefined();
    await expect(getDocument({ ctx: a.ctx, deps, input: { documentId: ingested.id } })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(logged(error, 'cache.invalidation_failed')).toBe(attempts.length);
    expect(logged(error, 'ingestion.failed')).toBe(0);
    error.mockRestore();
  });

  it('retries once after the response, so the next query sees the change', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const background: Promise<unknown>[] = [];
    const { kv, attempts } = generationWritesFail(1);
    const recording = recordingDeps({ kv, background: (work) => background.push(work) });
    const { deps } = recording;
    const question = `harbour master ${crypto.randomUUID()}`;
    const ask = () => retrieve({ ctx: a.ctx, deps, input: { query: question, topK: 5, projectId: a.projectIds[0] } });
    expect((await ask()).results).toEqual([]);

    const ingested = await ingestText({
      ctx: a.ctx,
      deps,
      input: {
        source: 'web',
        title: 'Harbour',
        text: `The ${question} keeps the tide tables.`,
        projectId: a.projectIds[0],
      },
    });
    expect(ingested.status).toBe('ready');
    await Promise.all(background);
    expect(attempts).toHaveLength(2); // refused, then written a second later
    expect((await ask()).results[0]).toMatchObject({ documentId: ingested.id });
    error.mockRestore();
  });

  it('bounds staleness by the entries’ own TTL: every cached result expires within it', async () => {
    const { kv } = generationWritesFail();
    const { deps } = recordingDeps({ kv });
    const before = Math.floor(Date.now() / 1000);
    await retrieve({
      ctx: a.ctx,
      deps,
      input: { query: `tide ${crypto.randomUUID()}`, topK: 3, projectId: a.projectIds[0] },
    });
    const entries = (await env.CACHE.list({ prefix: `${tenantCachePrefix(a.ctx)}retrieval:` })).keys;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.expiration).toBeLessThanOrEqual(before + RETRIEVAL_TTL_SECONDS + 1);
  });
});
