// SECURITY 9: raw-text ingestion is held to the tenant's own upload limit, like an uploaded file,
// and a refused request writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../../../src/services/ingestion/ingest-text.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
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
});
