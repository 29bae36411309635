// Raw-text ingestion: held to the tenant's own upload limit like an uploaded file (docs/threat-model.md T9), a
// refused request writes nothing, and re-ingesting by externalId never starts a second run while
// one is in flight (two runs would interleave their vector deletes and upserts).
import { beforeAll, describe, expect, it } from 'vitest';
import { setDocumentState } from '../../../src/db/repositories/document-records.ts';
import { recordIngestionEvent } from '../../../src/db/repositories/ingestion-journal.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { ingestText } from '../../../src/services/ingestion/ingest-text.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { recordingDeps } from './service-deps.ts';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant(1);
});

describe('ingestText limits', () => {
  it('refuses text over the tenant limit with a 400, before any write', async () => {
    const ctx = { ...t.ctx, limits: { ...t.ctx.limits, maxUploadBytes: 16 } };
    const recording = recordingDeps();
    const count = async () =>
      (await admin().query('select count(*)::int as n from documents where tenant_id = $1', [t.tenantId]))[0];
    const before = await count();
    const call = ingestText({
      ctx,
      deps: recording.deps,
      input: { projectId: t.projectIds[0], source: 'document', title: 'Too long', text: 'seventeen bytes!!' },
    });
    await expect(call).rejects.toMatchObject({ code: 'bad_request' });
    expect(await count()).toEqual(before);
    expect(recording.pinecone).toHaveLength(0);
  });

  it('refuses to re-ingest an externalId whose document is still being ingested', async () => {
    const input = { projectId: t.projectIds[0], source: 'slack' as const, title: 'Thread', externalId: 'thread-1' };
    const { deps } = recordingDeps();
    const first = await ingestText({ ctx: t.ctx, deps, input: { ...input, text: 'first version' } });
    expect(first.status).toBe('ready');
    // As a run in progress leaves it: pending, with a fresh 'processing' event.
    const document = { id: first.id, projectId: t.projectIds[0] as string };
    await withTenant(t.ctx, testSettings(), (scope) => [
      setDocumentState(scope, document.id, 'pending'),
      recordIngestionEvent(scope, document, 'processing', { chunksDone: 0, chunksTotal: 1 }),
    ]);
    const again = ingestText({ ctx: t.ctx, deps, input: { ...input, text: 'second version' } });
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
  });
});
