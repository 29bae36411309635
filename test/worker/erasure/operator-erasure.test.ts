// The operator API's erasure routes through the whole app (src/routes/operator/tenant-erasure.ts):
// POST /operator/v1/tenants/{id}/erasure answers 202 with the job and the Workflow runs it to 0;
// GET …/jobs/{jobId} follows it after the tenant's own credentials stopped working; a read-only
// operator key cannot start one; an id that is no tenant is a 404.
import { env, introspectWorkflow } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { devOperatorKey } from '../../../local/dev-keys.ts';
import { call } from '../edge/harness.ts';
import { fillTenant, insertTenant, NOTHING, remainsOfTenant } from './tenant-data.ts';

let operatorKey: string;
let readonlyKey: string;
beforeAll(async () => {
  [operatorKey, readonlyKey] = await Promise.all([devOperatorKey('operator'), devOperatorKey('readonly')]);
});

const operator = (path: string, method = 'GET', key = operatorKey) =>
  call(`/operator/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });

describe('operator erasure routes', () => {
  it('start the erasure, and the job reads done with every store at 0', async () => {
    const t = await insertTenant();
    await fillTenant(t.id, t.projectId);
    const introspector = await introspectWorkflow(env.TENANT_ERASURE);
    try {
      await introspector.modifyAll(async (m) => {
        await m.disableSleeps();
        await m.disableRetryDelays();
      });
      const res = await operator(`/tenants/${t.id}/erasure`, 'POST');
      expect(res.status, await res.clone().text()).toBe(202);
      const { job } = (await res.json()) as { job: { id: string; state: string } };
      const [instance] = await introspector.get();
      await instance?.waitForStatus('complete');
      const read = await operator(`/tenants/${t.id}/jobs/${job.id}`);
      expect(read.status).toBe(200);
      const after = (await read.json()) as {
        job: { state: string; progress: Record<string, { done: number; total: number }> };
      };
      expect(after.job.state).toBe('done');
      expect(after.job.progress.vectors).toEqual({ done: 20, total: 20 });
    } finally {
      await introspector.dispose();
    }
    expect(await remainsOfTenant(t.id)).toEqual(NOTHING);
  }, 60_000);

  it('a read-only operator key cannot start one; an unknown tenant is a 404', async () => {
    const t = await insertTenant();
    expect((await operator(`/tenants/${t.id}/erasure`, 'POST', readonlyKey)).status).toBe(403);
    expect((await operator(`/tenants/${crypto.randomUUID()}/erasure`, 'POST')).status).toBe(404);
    expect((await operator(`/tenants/${t.id}/jobs/${crypto.randomUUID()}`)).status).toBe(404);
  }, 60_000);
});
