// docs/threat-model.md T67 through the whole app: a dependency slower than the request deadline
// gets the caller a 503 with Retry-After at the deadline, and the abandoned flow makes no further
// write after it (the deadline's signal is joined to every later outbound call), so the stores
// still agree and the document is never marked ready behind the caller's back.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { api, createHarness, json } from '../api/harness.ts';
import { ingestedDocument } from '../api/resources.ts';
import { expectAgreement, tenantState } from './agreement.ts';
import { withFaults } from './fault-control.ts';

const DEADLINE_MS = 1_000;
const SLOWER_MS = 2_500;
const base = await createHarness(1);
const h = { ...base, app: createApp({ requestDeadlineMs: DEADLINE_MS }) };
const [a] = h.tenants as [(typeof h.tenants)[0]];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectDeadline503(res: Response) {
  expect(res.status, await res.clone().text()).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((await json<{ error: { code: string } }>(res)).error.code).toBe('unavailable');
}

describe('the request deadline through the app', () => {
  it('a query whose vector store answers after the deadline: 503 unavailable', async () => {
    await ingestedDocument(h, a);
    const slow = [{ fault: 'latency' as const, latencyMs: SLOWER_MS, path: '/query', includes: a.id }];
    await withFaults('vectors', slow, async () => {
      await expectDeadline503(
        await api(h, a, '/v1/query', { body: { query: 'anything', projectId: a.projectIds[0] } }),
      );
    });
  });

  it('an ingestion cut by the deadline writes nothing after it: no chunk rows, never ready', async () => {
    const before = await tenantState(a.id);
    const slow = [{ fault: 'latency' as const, latencyMs: SLOWER_MS, path: '/vectors/upsert', includes: a.id }];
    await withFaults('vectors', slow, async () => {
      const res = await api(h, a, '/v1/ingest', {
        body: { source: 'document', title: 'Late', text: `${a.canary} arrives late.`, projectId: a.projectIds[0] },
      });
      await expectDeadline503(res);
      await sleep(SLOWER_MS + 1_000); // the stand-in has answered the upsert by now; the flow would have gone on
    });
    const after = await expectAgreement(a.id, 'after the deadline');
    const added = [...after.documents.keys()].filter((id) => !before.documents.has(id));
    expect(added).toHaveLength(1);
    const id = added[0] as string;
    expect(after.documents.get(id)).not.toBe('ready');
    expect(after.chunks.get(id) ?? 0).toBe(0);
  }, 15_000);
});
