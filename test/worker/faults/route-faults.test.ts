// docs/threat-model.md T67, T68: every /v1 route, with a fault injected mid-flow into each dependency
// it uses (Neon SQL over HTTP, Pinecone, the object store), answers either its success or 503
// `unavailable` with Retry-After in the one envelope, never a hung request and never a 500; afterwards
// the tenant's rows, vectors and objects agree (no vector or object without its document row, a ready
// document has one vector per chunk row), nothing was written outside the tenant's names, the other
// tenant's state is exactly as it was, and the same request succeeds once the fault is gone.
//
// Faults are scoped to tenant A by its id (`includes`), which is in every Neon batch it sends, its
// Pinecone namespace and its object keys, so other test files sharing the stand-ins never see them.
import { describe, expect, it } from 'vitest';
import type { FaultKind, FaultRule } from '../../../local/fault-rule.ts';
import { api, createHarness, json } from '../api/harness.ts';
import { ingestedDocument, uploadedDocument, widgetConversation } from '../api/resources.ts';
import { expectAgreement, tenantState } from './agreement.ts';
import { type Dependency, withFaults } from './fault-control.ts';

const h = await createHarness(2);
const [a, b] = h.tenants as [(typeof h.tenants)[0], (typeof h.tenants)[0]];

type Prepared = { id?: string; conversation?: { id: string; widgetUser: string } };

interface RouteCase {
  route: string;
  uses: Dependency[];
  ok: number;
  prepare?: () => Promise<Prepared>;
  request: (prepared: Prepared) => Promise<Response>;
}

const completed = async (): Promise<Prepared> => {
  const id = await uploadedDocument(h, a);
  expect((await api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' })).status).toBe(202);
  return { id };
};
const conversation = async (): Promise<Prepared> => ({ conversation: await widgetConversation(h, a) });
const asWidget = (prepared: Prepared) => ({
  key: 'publishable' as const,
  headers: { 'x-widget-user': prepared.conversation?.widgetUser as string },
});

const ROUTES: RouteCase[] = [
  {
    route: 'POST /v1/ingest',
    uses: ['database', 'vectors'],
    ok: 201,
    request: () =>
      api(h, a, '/v1/ingest', {
        body: {
          source: 'document',
          title: 'Faulted',
          text: `${a.canary} survives faults.`,
          projectId: a.projectIds[0],
        },
      }),
  },
  {
    route: 'POST /v1/documents',
    uses: ['database'],
    ok: 201,
    request: () =>
      api(h, a, '/v1/documents', {
        body: { title: 'F', filename: 'f.txt', contentType: 'text/plain', sizeBytes: 5, projectId: a.projectIds[0] },
      }),
  },
  {
    route: 'POST /v1/documents/:id/complete',
    uses: ['database', 'vectors', 'objects'],
    ok: 202,
    prepare: async () => ({ id: await uploadedDocument(h, a) }),
    request: ({ id }) => api(h, a, `/v1/documents/${id}/complete`, { method: 'POST' }),
  },
  { route: 'GET /v1/documents', uses: ['database'], ok: 200, request: () => api(h, a, '/v1/documents') },
  {
    route: 'GET /v1/documents/:id',
    uses: ['database'],
    ok: 200,
    prepare: async () => ({ id: await ingestedDocument(h, a) }),
    request: ({ id }) => api(h, a, `/v1/documents/${id}`),
  },
  {
    route: 'GET /v1/documents/:id/download',
    uses: ['database'],
    ok: 200,
    prepare: async () => ({ id: await uploadedDocument(h, a) }),
    request: ({ id }) => api(h, a, `/v1/documents/${id}/download`),
  },
  {
    route: 'DELETE /v1/documents/:id',
    uses: ['database', 'vectors', 'objects'],
    ok: 204,
    prepare: completed,
    request: ({ id }) => api(h, a, `/v1/documents/${id}`, { method: 'DELETE' }),
  },
  {
    route: 'POST /v1/query',
    uses: ['database', 'vectors'],
    ok: 200,
    prepare: async () => ({ id: await ingestedDocument(h, a) }),
    request: () => api(h, a, '/v1/query', { body: { query: 'what survives faults?', projectId: a.projectIds[0] } }),
  },
  {
    route: 'POST /v1/conversations',
    uses: ['database'],
    ok: 201,
    request: () => api(h, a, '/v1/conversations', { key: 'publishable', body: {} }),
  },
  {
    route: 'GET /v1/conversations/:id',
    uses: ['database'],
    ok: 200,
    prepare: conversation,
    request: (prepared) => api(h, a, `/v1/conversations/${prepared.conversation?.id}`, asWidget(prepared)),
  },
  {
    route: 'POST /v1/conversations/:id/messages',
    uses: ['database', 'vectors'],
    ok: 201,
    prepare: async () => {
      await ingestedDocument(h, a);
      return conversation();
    },
    request: (prepared) =>
      api(h, a, `/v1/conversations/${prepared.conversation?.id}/messages`, {
        ...asWidget(prepared),
        body: { content: 'What survives faults?' },
      }),
  },
  { route: 'GET /v1/projects', uses: ['database'], ok: 200, request: () => api(h, a, '/v1/projects') },
  // The tenant admin API's database-only routes (the key routes' interactive transactions are the
  // WebSocket path, covered in websocket-faults.test.ts).
  {
    route: 'POST /v1/projects',
    uses: ['database'],
    ok: 201,
    request: () => api(h, a, '/v1/projects', { body: { name: `faulted ${crypto.randomUUID().slice(0, 8)}` } }),
  },
  { route: 'GET /v1/api-keys', uses: ['database'], ok: 200, request: () => api(h, a, '/v1/api-keys') },
  { route: 'GET /v1/audit-events', uses: ['database'], ok: 200, request: () => api(h, a, '/v1/audit-events') },
  { route: 'GET /v1/usage', uses: ['database'], ok: 200, request: () => api(h, a, '/v1/usage') },
];

// Immediate faults for every route and dependency; a hang (which waits out the call's own timeout
// from src/config/timeouts.ts) for one route per dependency, so the suite stays quick.
const IMMEDIATE: Array<{ kind: FaultKind; rule: Partial<FaultRule> }> = [
  { kind: 'status', rule: { status: 503 } },
  { kind: 'reset', rule: {} },
  { kind: 'truncate', rule: {} },
];
const HANGS: Array<[string, Dependency]> = [
  ['POST /v1/ingest', 'database'],
  ['POST /v1/query', 'vectors'],
  ['POST /v1/documents/:id/complete', 'objects'],
  ['DELETE /v1/documents/:id', 'vectors'],
];

const sameState = async () => {
  const state = await tenantState(b.id);
  return JSON.stringify([...state.documents, ...state.vectors, ...state.objects].sort());
};

async function expectFailedCleanly(res: Response, label: string, ok: number) {
  const text = await res.text();
  if (res.status === ok) return 'succeeded';
  expect(res.status, `${label}: ${text}`).toBe(503);
  expect(res.headers.get('retry-after'), label).toMatch(/^\d+$/);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code, label).toBe('unavailable');
  expect(text, label).not.toMatch(/127\.0\.0\.1|tenant-|tenants\/|injected/);
  expect(text, label).not.toContain(b.canary);
  return body.error.message;
}

async function faultCase(route: RouteCase, dependency: Dependency, kind: FaultKind, rule: Partial<FaultRule>) {
  const label = `${route.route} × ${dependency} ${kind}`;
  const prepared = (await route.prepare?.()) ?? {};
  const before = await sameState();
  const res = await withFaults(dependency, [{ fault: kind, includes: a.id, ...rule }], () => route.request(prepared));
  const outcome = await expectFailedCleanly(res, label, route.ok);
  const deleting = route.route.startsWith('DELETE') && outcome !== 'succeeded' ? prepared.id : undefined;
  await expectAgreement(a.id, label, { deleting });
  expect(await sameState(), `${label}: the other tenant's stores changed`).toBe(before);
  // The fault gone, the same request succeeds, and the stores still agree.
  const retried = await route.request(prepared);
  expect(retried.status, `${label}, retried: ${await retried.clone().text()}`).toBe(route.ok);
  await retried.body?.cancel();
  const after = await expectAgreement(a.id, `${label}, retried`);
  if (route.route.startsWith('DELETE')) {
    // The retried delete finished what the faulted one left: no row, no vector, no object.
    const id = prepared.id as string;
    expect(after.documents.has(id), label).toBe(false);
    expect(after.vectors.has(id), label).toBe(false);
    expect(
      after.objects.filter((key) => key.includes(id)),
      label,
    ).toEqual([]);
  }
  return outcome;
}

describe('a fault in a dependency: 503 or success, never a partial write', () => {
  for (const route of ROUTES) {
    for (const dependency of route.uses) {
      for (const { kind, rule } of IMMEDIATE) {
        it(`${route.route} × ${dependency} ${kind}`, async () => {
          const outcome = await faultCase(route, dependency, kind, rule);
          // Every route reads or writes the database first: a database that answers 503 to each of
          // the tenant's batches fails the request, so the fault demonstrably reached it.
          if (dependency === 'database' && kind === 'status') expect(outcome).not.toBe('succeeded');
        });
      }
    }
  }

  for (const [name, dependency] of HANGS) {
    it(`${name} × ${dependency} hang: the call's own timeout answers 503, before the request deadline`, async () => {
      const route = ROUTES.find((r) => r.route === name) as RouteCase;
      const message = await faultCase(route, dependency, 'hang', {});
      // The dependency's own 503 (its timeout fired), not the deadline's backstop.
      expect(message).toMatch(/^The (database|vector store|object store) is unavailable/);
    }, 30_000);
  }

  it('the other tenant is served while tenant A’s dependencies fail', async () => {
    await withFaults('database', [{ fault: 'reset', includes: a.id }], async () => {
      const res = await api(h, b, '/v1/documents');
      expect(res.status).toBe(200);
      expect((await json<{ documents: unknown[] }>(res)).documents).toBeDefined();
    });
  });
});
