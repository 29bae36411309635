// Starting a run is decided by Postgres, under the document's row lock: a claim that arrives while
// another is still open waits for it, then sees its 'queued' event and is refused. Without the
// lock, the waiting claim would re-check only the row, on a snapshot taken before the other
// committed, and start a second run.
import { beforeAll, describe, expect, it } from 'vitest';
import { lockDocument } from '../../../src/db/repositories/document-records.ts';
import { claimIngestionRun, ingestionEventEntry } from '../../../src/db/repositories/ingestion-journal.ts';
import { withTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { queueIngestion, STALLED_AFTER_MS } from '../../../src/services/ingestion/queue-ingestion.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { recordingDeps } from './service-deps.ts';

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant(1);
});

async function someoneWaitsForALock(): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const rows = await admin().query('select count(*)::int as n from pg_locks where not granted');
    if ((rows[0] as { n: number }).n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the second claim never waited for the first');
}

describe('queueIngestion', () => {
  it('a claim made while another is open waits for it, then is refused as in flight', async () => {
    const document = { id: t.documentId, projectId: t.projectIds[0] };
    const queued = ingestionEventEntry(document, 'queued', { source: 'document' });
    const { deps } = recordingDeps();
    let second: Promise<boolean> | undefined;
    await withTenantTransaction(t.ctx, testSettings(), async (scope) => {
      await lockDocument(scope, document.id);
      const first = await claimIngestionRun(scope, document.id, STALLED_AFTER_MS, [queued]);
      expect(first.rows).toHaveLength(1);
      second = queueIngestion({ ctx: t.ctx, deps, input: { documentId: document.id, events: [queued] } });
      second.catch(() => {}); // awaited below, after the first commits
      await someoneWaitsForALock();
    });
    await expect(second).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/being ingested/),
    });
    const rows = await admin().query(
      `select count(*)::int as n from audit_events
       where tenant_id = $1 and target_id = $2 and action = 'document.ingestion.queued'`,
      [t.tenantId, document.id],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });
});
