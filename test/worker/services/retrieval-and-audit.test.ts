// Retrieval through the per-tenant KV cache, invalidated by any change to the tenant's documents;
// and audit rows written in the same batch (the same round trip) as the access they record.
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteDocument } from '../../../src/services/documents/delete-document.ts';
import { getDocument } from '../../../src/services/documents/read-documents.ts';
import { ingestText } from '../../../src/services/ingestion/ingest-text.ts';
import { retrieve } from '../../../src/services/retrieval/retrieve.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { countNeonRequests, recordingDeps } from './service-deps.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(1), createTenant(1)]);
});

const queries = (recording: ReturnType<typeof recordingDeps>) =>
  recording.pinecone.filter((r) => r.url.endsWith('/query')).length;

describe('retrieval cache', () => {
  it('serves a repeated query from the tenant’s cache until a document changes', async () => {
    const recording = recordingDeps();
    const call = (t: TenantFixture, query: string) =>
      retrieve({ ctx: t.ctx, deps: recording.deps, input: { query, topK: 5, projectId: t.projectIds[0] } });
    const question = `lighthouse keeper ${crypto.randomUUID()}`;
    expect((await call(a, question)).results).toEqual([]);
    await call(a, question);
    expect(queries(recording)).toBe(1);

    // Tenant B asking the same thing gets its own lookup, never A's cached entry.
    await call(b, question);
    expect(queries(recording)).toBe(2);

    const added = await ingestText({
      ctx: a.ctx,
      deps: recording.deps,
      input: {
        source: 'web',
        title: 'Lighthouse',
        text: `The ${question} lives on the cliff.`,
        projectId: a.projectIds[0],
      },
    });
    const after = await call(a, question);
    expect(queries(recording)).toBe(3);
    expect(after.results[0]).toMatchObject({ documentId: added.id });

    await deleteDocument({ ctx: a.ctx, deps: recording.deps, input: { documentId: added.id } });
    expect((await call(a, question)).results).toEqual([]);
    expect(queries(recording)).toBe(4);
  });
});

describe('audit in the same batch', () => {
  it('a read costs one round trip, its audit row included, with outcome and request id', async () => {
    const recording = recordingDeps();
    const missing = crypto.randomUUID();
    for (const [documentId, outcome] of [
      [a.documentId, 'allowed'],
      [b.documentId, 'not_found'],
      [missing, 'not_found'],
    ] as const) {
      const neon = countNeonRequests(documentId);
      await getDocument({ ctx: a.ctx, deps: recording.deps, input: { documentId } }).catch(() => undefined);
      neon.stop();
      expect(neon.count()).toBe(1);
      const rows = await admin().query(
        `select tenant_id, actor_kind, detail from audit_events where action = 'document.read' and target_id = $1`,
        [documentId],
      );
      expect(rows).toEqual([
        {
          tenant_id: a.tenantId,
          actor_kind: 'secret_key',
          detail: { outcome, requestId: recording.deps.requestId },
        },
      ]);
    }
  });
});
