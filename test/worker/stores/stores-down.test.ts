// docs/threat-model.md T37 for the side stores: Pinecone, the object store or KV down (a closed port, a 5xx,
// a failing binding) is ApiError('unavailable') → 503 with Retry-After in the one envelope, and
// no request ever goes to another key, namespace or prefix instead.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { onError } from '../../../src/http/on-error.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { STORE_RETRY_AFTER_SECONDS } from '../../../src/stores/store-unavailable.ts';
import { purgeTenantCache, tenantCache } from '../../../src/stores/tenant-cache.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { tenantVectors } from '../../../src/stores/tenant-vectors.ts';
import { cacheKey, documentObjectKey, tenantNamespace } from '../../../src/tenancy/storage-names.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

const CLOSED = 'http://127.0.0.1:1'; // nothing listens on port 1: connection refused
const ctx = tenantContext(crypto.randomUUID());
const document = { projectId: crypto.randomUUID(), id: crypto.randomUUID() };
const vector = Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0));

const pineconeDown = () => tenantVectors(ctx, pineconeIndex({ ...testSettings(), PINECONE_INDEX_HOST: CLOSED }));
const objectsDown = () => tenantObjects(ctx, { ...testSettings(), S3_ENDPOINT: CLOSED });
const kvDown = {
  get: () => Promise.reject(new Error('KV GET failed: 503 Service Unavailable')),
  put: () => Promise.reject(new TypeError('Network connection lost.')),
  delete: () => Promise.reject(new Error('KV DELETE failed: 500 Internal Server Error')),
  list: () => Promise.reject(new Error('KV LIST failed: 503 Service Unavailable')),
} as unknown as KVNamespace;
const anyKey = () => documentObjectKey(ctx, document, 'x.txt');
const cacheEntry = () => cacheKey(ctx, 'retrieval', ['q']);

const outages: Record<string, () => Promise<unknown>> = {
  'pinecone query': () => pineconeDown().query({ projectId: document.projectId, vector, topK: 3 }),
  'pinecone upsert': () => pineconeDown().upsertDocument(document, [{ chunkIndex: 0, values: vector }]),
  'pinecone delete document': () => pineconeDown().deleteDocument(document),
  'pinecone erase namespace': () => pineconeDown().deleteAll(),
  'objects get': () => objectsDown().getObject(anyKey()),
  'objects delete': () => objectsDown().deleteObject(anyKey()),
  'objects list': () => objectsDown().listObjects(),
  'kv get': () => tenantCache(ctx, kvDown).get(cacheEntry()),
  'kv put': () => tenantCache(ctx, kvDown).put(cacheEntry(), 1, 60),
  'kv purge': () => purgeTenantCache(ctx, kvDown),
};

describe('side stores down', () => {
  for (const [name, outage] of Object.entries(outages)) {
    it(`${name}: ApiError unavailable with Retry-After`, async () => {
      const error = await outage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': STORE_RETRY_AFTER_SECONDS } });
    });
  }

  it('answers 503 in the error envelope', async () => {
    const app = new Hono<AppEnv>();
    app.onError(onError);
    app.get('/probe/:name', (c) => (outages[c.req.param('name')] as () => Promise<unknown>)().then(() => c.text('up')));
    for (const name of Object.keys(outages)) {
      const response = await app.request(`/probe/${encodeURIComponent(name)}`);
      expect(response.status, name).toBe(503);
      expect(response.headers.get('retry-after')).toBe(STORE_RETRY_AFTER_SECONDS);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unavailable');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|tenant-|tenants\//);
    }
  });

  it('Pinecone 5xx: retried in the same namespace only, then unavailable', async () => {
    const seen: string[] = [];
    const fetchApi = async (_: RequestInfo | URL, init?: RequestInit) => {
      seen.push(JSON.parse(String(init?.body)).namespace);
      return new Response('{"code":14,"message":"unavailable"}', { status: 503 });
    };
    const store = tenantVectors(ctx, pineconeIndex(testSettings(), { fetchApi: fetchApi as typeof fetch }));
    const error = await store.query({ projectId: document.projectId, vector, topK: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(seen).toEqual([tenantNamespace(ctx), tenantNamespace(ctx)]);
  });

  it('object store 5xx: unavailable, and only the tenant’s own paths were asked for', async () => {
    const seen: string[] = [];
    const fetch = async (request: Request) => {
      const url = new URL(request.url);
      seen.push(decodeURIComponent(url.pathname) + (url.searchParams.get('prefix') ?? ''));
      return new Response('<Error><Code>InternalError</Code></Error>', { status: 500 });
    };
    const store = tenantObjects(ctx, testSettings(), { fetch });
    for (const work of [store.getObject(anyKey()), store.listObjects(), store.deleteAllObjects()]) {
      expect(await work.catch((e: unknown) => e)).toMatchObject({ code: 'unavailable' });
    }
    expect(seen).toHaveLength(3);
    for (const path of seen) expect(path).toContain(`tenants/${ctx.tenantId}/`);
  });
});
