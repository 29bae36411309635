// docs/threat-model.md T27–T29 through the real v9 Pinecone client against the local data plane: the
// namespace comes only from the context, nothing crosses tenants, ingestion retries converge.
import { describe, expect, it, vi } from 'vitest';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { tenantVectors } from '../../../src/stores/tenant-vectors.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { tenantNamespace, vectorId } from '../../../src/tenancy/storage-names.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

const DIMENSION = 384;

/** A unit-ish vector pointing mostly along one axis, with a little seeded variation. */
function vector(hot: number, seed = 0): number[] {
  return Array.from({ length: DIMENSION }, (_, i) => (i === hot ? 1 : 0.01 + ((i * 31 + seed * 17) % 97) / 10_000));
}

/** The real client with every request recorded (URL and parsed JSON body). */
function recordedIndex(fail?: (url: string, body: unknown) => boolean) {
  const requests: Array<{ url: string; body: Record<string, unknown> | undefined; bytes: number }> = [];
  const fetchApi = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const text = typeof init?.body === 'string' ? init.body : '';
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    requests.push({ url, body, bytes: new TextEncoder().encode(text).byteLength });
    if (fail?.(url, body)) throw new TypeError('Network connection lost.');
    return fetch(input, init);
  };
  return { index: pineconeIndex(testSettings(), { fetchApi: fetchApi as typeof fetch }), requests };
}

const newTenant = () => tenantContext(crypto.randomUUID());
const newDocument = () => ({ projectId: crypto.randomUUID(), id: crypto.randomUUID() });
const chunks = (count: number, hot = 3) =>
  Array.from({ length: count }, (_, chunkIndex) => ({ chunkIndex, values: vector(hot, chunkIndex) }));

describe('tenant vectors (Pinecone)', () => {
  it('27: refuses a missing or empty tenant before any request', () => {
    const { index, requests } = recordedIndex();
    for (const ctx of [
      undefined,
      null,
      { ...newTenant(), tenantId: '' },
      { ...newTenant(), tenantId: '__default__' },
    ]) {
      expect(() => tenantVectors(ctx as unknown as TenantContext, index)).toThrow(/tenant context/);
    }
    expect(requests).toHaveLength(0);
  });

  it('27: every request names the context’s namespace and no other', async () => {
    const { index, requests } = recordedIndex();
    const ctx = newTenant();
    const store = tenantVectors(ctx, index);
    const document = newDocument();
    await store.upsertDocument(document, chunks(3));
    await store.query({ projectId: document.projectId, vector: vector(3), topK: 3 });
    await store.deleteDocument(document);
    await store.deleteAll();
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const { url, body } of requests) {
      const named =
        body?.namespace ??
        new URL(url).searchParams.get('namespace') ??
        decodeURIComponent(url.split('/namespaces/')[1] ?? '');
      expect(named).toBe(`tenant-${ctx.tenantId}`);
    }
  });

  it('28: a canary of one tenant never appears in another tenant’s results', async () => {
    const { index } = recordedIndex();
    const [a, b] = [newTenant(), newTenant()];
    const project = crypto.randomUUID();
    const docA = { projectId: project, id: crypto.randomUUID() };
    const canaryOfB = { projectId: project, id: crypto.randomUUID() };
    // Same project id, same vectors: only the namespace keeps them apart.
    await tenantVectors(a, index).upsertDocument(docA, chunks(3, 5));
    await tenantVectors(b, index).upsertDocument(canaryOfB, chunks(3, 5));
    const warn = vi.spyOn(console, 'warn');
    const matches = await tenantVectors(a, index).query({ projectId: project, vector: vector(5), topK: 20 });
    expect(matches.map((m) => m.id).sort()).toEqual([0, 1, 2].map((i) => vectorId(docA.id, i)).sort());
    expect(JSON.stringify(matches)).not.toContain(canaryOfB.id);
    expect(JSON.stringify(matches)).not.toContain(b.tenantId);
    // Kept apart by the namespace itself, not only by the metadata check after the fact:
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    const stored = await index.namespace(`tenant-${a.tenantId}`).listPaginated({});
    expect(stored.vectors?.map((v) => v.id).sort()).toEqual([0, 1, 2].map((i) => vectorId(docA.id, i)).sort());
  });

  it('28: a match whose metadata names another tenant is dropped and logged', async () => {
    const { index } = recordedIndex();
    const [a, b] = [newTenant(), newTenant()];
    const project = crypto.randomUUID();
    const foreign = crypto.randomUUID();
    // Planted past the store, straight into A's namespace, as a bug elsewhere might.
    await index.namespace(tenantNamespace(a)).upsert({
      records: [
        {
          id: `${foreign}#0`,
          values: vector(9),
          metadata: { tenantId: b.tenantId, projectId: project, documentId: foreign, chunkIndex: 0 },
        },
      ],
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const matches = await tenantVectors(a, index).query({ projectId: project, vector: vector(9), topK: 5 });
    expect(matches).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('vectors.foreign_match_dropped'));
    warn.mockRestore();
  });

  it('caps topK at the tenant’s limit and returns ids and scores only', async () => {
    const { index, requests } = recordedIndex();
    const ctx = newTenant();
    const document = newDocument();
    const store = tenantVectors(ctx, index);
    await store.upsertDocument(document, chunks(30));
    const matches = await store.query({ projectId: document.projectId, vector: vector(3), topK: 10_000 });
    expect(matches).toHaveLength(ctx.limits.maxTopK);
    expect(requests.at(-1)?.body?.topK).toBe(ctx.limits.maxTopK);
    for (const match of matches) expect(Object.keys(match).sort()).toEqual(['id', 'score']);
  });

  it('29: ingestion killed mid-way, in either order, ends with exactly N vectors on retry', async () => {
    let upsertRequests = 0; // the third upsert request dies, as if the Worker were killed there
    const { index, requests } = recordedIndex((url) => url.endsWith('/vectors/upsert') && ++upsertRequests === 3);
    const ctx = newTenant();
    const document = newDocument();
    const store = tenantVectors(ctx, index);
    const n = 1200; // several batches: 384 dimensions take ~7 KB of JSON each
    await expect(store.upsertDocument(document, chunks(n))).rejects.toMatchObject({ code: 'unavailable' });
    const partial = (await store.documentVectorIds(document)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(n);
    await store.upsertDocument(document, chunks(n)); // the retry (row not yet committed)
    await store.upsertDocument(document, chunks(n)); // and again (row committed, upsert re-run)
    expect(await store.documentVectorIds(document)).toHaveLength(n);
    const upserts = requests.filter((r) => r.url.endsWith('/vectors/upsert'));
    for (const { body, bytes } of upserts) {
      expect((body?.vectors as unknown[] | undefined)?.length).toBeLessThanOrEqual(1000);
      expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    }
  });

  it('deletes one document by id prefix, then the namespace; already gone is success', async () => {
    const { index } = recordedIndex();
    const ctx = newTenant();
    const [kept, removed] = [newDocument(), newDocument()];
    const store = tenantVectors(ctx, index);
    await store.upsertDocument(kept, chunks(4));
    await store.upsertDocument(removed, chunks(130));
    expect(await store.deleteDocument(removed)).toBe(130);
    expect(await store.deleteDocument(removed)).toBe(0);
    expect(await store.documentVectorIds(kept)).toHaveLength(4);
    await store.deleteAll();
    await store.deleteAll();
    expect(await store.documentVectorIds(kept)).toHaveLength(0);
    expect(await tenantVectors(newTenant(), index).deleteDocument(newDocument())).toBe(0);
  });

  it('keeps a project-limited principal to its projects', async () => {
    const { index } = recordedIndex();
    const allowed = crypto.randomUUID();
    const ctx = tenantContext(crypto.randomUUID(), { projectIds: [allowed] });
    const store = tenantVectors(ctx, index);
    const other = { projectId: crypto.randomUUID(), id: crypto.randomUUID() };
    await expect(store.upsertDocument(other, chunks(1))).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.query({ projectId: other.projectId, vector: vector(1), topK: 1 })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
