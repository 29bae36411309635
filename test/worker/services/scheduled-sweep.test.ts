// The cron trigger's entry (src/scheduled.ts) runs the orphan-object sweep for every tenant the
// registry lists: an orphan past its upload window is removed, a live document's object stays.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runScheduled } from '../../../src/scheduled.ts';
import { objectUrl } from '../../../src/stores/object-urls.ts';
import { s3Client } from '../../../src/stores/s3-client.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { documentObjectKey, type ObjectKey } from '../../../src/tenancy/storage-names.ts';
import { createTenant } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';

const settings = testSettings();

async function plant(key: ObjectKey): Promise<void> {
  const res = await s3Client(settings).fetch(objectUrl(settings, key).toString(), { method: 'PUT', body: 'x' });
  expect(res.status).toBe(200);
  await res.body?.cancel();
}

describe('scheduled: orphan-object sweep', () => {
  it('removes an old orphan of each listed tenant and keeps live objects', async () => {
    const a = await createTenant(1);
    const live = documentObjectKey(a.ctx, { projectId: a.projectIds[0], id: a.documentId }, 'live.txt');
    const orphan = documentObjectKey(a.ctx, { projectId: a.projectIds[0], id: crypto.randomUUID() }, 'late.txt');
    await Promise.all([plant(live), plant(orphan)]);
    await runScheduled(env, { tenants: [{ id: a.tenantId }], now: new Date(Date.now() + 3_600_000) });

    const left = [...(await tenantObjects(a.ctx, settings).listObjects()).keys];
    expect(left).toEqual([live]);
  });
});
