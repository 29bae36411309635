// Erasure against live traffic (issue 14): the tenant's credentials are refused from the first
// step on, and an ingestion that is mid-way when the erasure starts leaves nothing behind once
// both have finished (no vector upserted after the namespace delete, no chunk after the rows).
import { describe, expect, it } from 'vitest';
import { api, createHarness, type TestTenant } from '../api/harness.ts';
import { admin } from '../db/fixtures.ts';
import { runErasure } from './run-erasure.ts';
import { NOTHING, remainsOfTenant } from './tenant-data.ts';

describe('credentials while a tenant is being erased', () => {
  it('are refused once the first step has run, for a key used before and one never used', async () => {
    const h = await createHarness(2);
    const [a, b] = h.tenants as [TestTenant, TestTenant];
    // The secret key is now verified and cached in this isolate; the others never were.
    expect((await api(h, a, '/v1/documents')).status).toBe(200);
    // Stop the job right after `begin` (status deleting), so the tenant stays mid-erasure.
    const run = await runErasure(a.id, async (m) => {
      await m.mockStepError({ name: 'census' }, new Error('held after begin'));
    });
    expect(run.status).toBe('errored');
    const [row] = (await admin().query('select status::text as s from tenants where id = $1', [a.id])) as [
      { s: string },
    ];
    expect(row.s).toBe('deleting');
    for (const key of ['readOnly', 'publishable', 'secret'] as const) {
      const res = await api(h, a, key === 'publishable' ? '/v1/whoami' : '/v1/documents', { key });
      expect(res.status, `${key}: ${await res.clone().text()}`).toBeGreaterThanOrEqual(400);
      expect(res.status).not.toBe(429);
    }
    expect((await api(h, b, '/v1/documents')).status).toBe(200);
  }, 60_000);
});

describe('ingestion racing erasure', () => {
  it('a large ingestion erased mid-way: after both, nothing of the tenant in any store', async () => {
    const h = await createHarness(1);
    const [a] = h.tenants as [TestTenant];
    const paragraph = (i: number) =>
      `Paragraph ${i} about the erasure race, with words enough to fill a chunk. `.repeat(12);
    const text = Array.from({ length: 700 }, (_, i) => paragraph(i)).join('\n\n');
    const ingestion = api(h, a, '/v1/ingest', { body: { source: 'document', title: 'Big', text } });
    // Wait until the run is writing chunks, then erase under it.
    for (let i = 0; i < 600; i++) {
      const [row] = (await admin().query('select count(*)::int as n from chunks where tenant_id = $1', [a.id])) as [
        { n: number },
      ];
      if (row.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const run = await runErasure(a.id);
    expect(run.status).toBe('complete');
    await (await ingestion).text();
    expect(await remainsOfTenant(a.id)).toEqual(NOTHING);
  }, 180_000);
});
