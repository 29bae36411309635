// Faults during a tenant erasure (issue 14, docs/threat-model.md T76): a step that fails on every
// attempt at each step boundary, then a resumed job; a step that fails a few times (retried, never
// skipped); a kill inside a batch after its deletes committed (no double count, no duplicate
// tombstone); stores answering 5xx; a store whose deletes lie (the verification counts, so the job
// fails instead of claiming zero).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { insertJob } from '../../../src/db/repositories/jobs.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { eraseTenant, VerificationFailed } from '../../../src/services/erasure/tenant-erasure.ts';
import type { JobDeps } from '../../../src/services/jobs/durable-steps.ts';
import { readJob } from '../../../src/services/jobs/read-job.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { Killed, memorySteps } from './memory-steps.ts';
import { asOperator, jobDepsForTest, runErasure } from './run-erasure.ts';
import { fillTenant, insertTenant, NOTHING, remainsOfTenant, type TenantSizes } from './tenant-data.ts';

const SIZES: TenantSizes = { documents: 12, chunksPerDocument: 3, objects: 9, cacheKeys: 7, conversations: 3 };

async function filledTenant(sizes = SIZES) {
  const t = await insertTenant();
  await fillTenant(t.id, t.projectId, sizes);
  return t;
}

const tombstoneCount = async (tenantId: string) =>
  (
    (await admin().query(
      `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'tenant.erased'`,
      [tenantId],
    )) as [{ n: number }]
  )[0].n;

const jobOf = async (tenantId: string) => {
  const [row] = (await admin().query(`select id from jobs where tenant_id = $1 and kind = 'tenant_erasure'`, [
    tenantId,
  ])) as [{ id: string }];
  return readJob({ ctx: asOperator(tenantId), deps: jobDepsForTest(), input: { jobId: row.id } });
};

// Every kind of step boundary: before anything, each store's first batch, the count, the tombstone,
// and the last step (after the tombstone is written).
const STEPS = [
  'begin',
  'census',
  'r1:rows:chunks:1',
  'r1:rows:documents:1',
  'r1:rows:projects:1',
  'r1:vectors',
  'r1:objects:1',
  'r1:cache:1',
  'verify-1',
  'tombstone',
  'finish',
];

describe('a step that fails on every attempt, then the job is requested again', () => {
  it.each(STEPS)(
    'failing at %s: the job fails, the resumed job ends at 0 with one tombstone',
    async (step) => {
      const t = await filledTenant();
      const first = await runErasure(t.id, async (m) => {
        await m.mockStepError({ name: step }, new Error(`injected failure at ${step}`));
      });
      expect(first.status).toBe('errored');
      const failed = await jobOf(t.id);
      expect(failed.state).toBe('failed');
      expect(failed.lastError).toContain(`injected failure at ${step}`);
      // Only a step after the tombstone's leaves one behind; the resume must not add another.
      expect(await tombstoneCount(t.id)).toBe(step === 'finish' ? 1 : 0);

      const second = await runErasure(t.id);
      expect(second.status).toBe('complete');
      expect(second.job.id).toBe(first.job.id);
      expect(second.job.attempt).toBe(2);
      expect(await remainsOfTenant(t.id)).toEqual(NOTHING);
      expect(await tombstoneCount(t.id)).toBe(1);
      const done = await jobOf(t.id);
      expect(done.state).toBe('done');
      expect(done.lastError).toBeNull();
    },
    60_000,
  );
});

describe('a step that fails a few times', () => {
  it.each(['r1:rows:chunks:1', 'r1:vectors', 'r1:objects:1', 'verify-1'])(
    'at %s is retried and the same instance finishes at 0',
    async (step) => {
      const t = await filledTenant();
      const run = await runErasure(t.id, async (m) => {
        await m.mockStepError({ name: step }, new Error('transient'), 2);
      });
      expect(run.status).toBe('complete');
      expect(await remainsOfTenant(t.id)).toEqual(NOTHING);
      expect(await tombstoneCount(t.id)).toBe(1);
    },
    60_000,
  );
});

/** A job row for the memory runner, as requestTenantErasure would make it. */
async function newJob(tenantId: string) {
  const ctx = tenantContext(tenantId);
  const [inserted] = await withTenant(ctx, testSettings(), (scope) => [insertJob(scope, 'tenant_erasure')]);
  return { jobId: (inserted.rows[0] as { id: string }).id, tenantId };
}

function storeDeps(overrides: Partial<JobDeps> = {}): JobDeps {
  return {
    settings: testSettings(),
    kv: env.CACHE,
    pinecone: pineconeIndex(testSettings()),
    batchSize: 5,
    ...overrides,
  };
}

describe('killed inside a batch (the memory engine: the kill lands after the work committed)', () => {
  it('at every step in turn: each resume finishes at 0, counts each row once, one tombstone', async () => {
    const t = await filledTenant();
    const before = await remainsOfTenant(t.id);
    const rowsBefore = Object.values(before.rows).reduce((a, b) => a + b, 0);
    const params = await newJob(t.id);
    const deps = storeDeps();
    // Kill the first run after step 1's work, the next after step 2's, … until one run gets through.
    let killAt = 1;
    let runs = 0;
    for (;;) {
      runs++;
      let seen = 0;
      const steps = memorySteps({
        afterWork: () => {
          seen++;
          if (seen === killAt) throw new Killed(`killed after step ${seen}`);
        },
      });
      try {
        await eraseTenant(steps, deps, params);
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(Killed);
      }
      killAt++;
    }
    expect(runs).toBeGreaterThan(20); // every step boundary was hit once
    expect(await remainsOfTenant(t.id)).toEqual(NOTHING);
    expect(await tombstoneCount(t.id)).toBe(1);
    const job = await jobOf(t.id);
    expect(job.state).toBe('done');
    // Rows are counted in the statement that deletes them: a retried batch never adds its count twice.
    expect(job.progress.postgres).toEqual({ done: rowsBefore, total: rowsBefore });
  }, 180_000);
});

describe('stores that fail', () => {
  it('object store and Pinecone answering 5xx, KV throwing: the steps retry and finish at 0', async () => {
    const t = await filledTenant();
    let objectCalls = 0;
    let pineconeCalls = 0;
    let kvCalls = 0;
    const kv = new Proxy(env.CACHE, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop === 'delete' || prop === 'list') {
          return (...args: unknown[]) => {
            if (++kvCalls % 3 === 1) return Promise.reject(new Error('KV unavailable'));
            return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const deps = storeDeps({
      kv,
      objectOptions: {
        fetch: (request) =>
          ++objectCalls % 4 === 2 ? Promise.resolve(new Response('busy', { status: 503 })) : fetch(request),
      },
      pinecone: pineconeIndex(testSettings(), {
        maxRetries: 0,
        fetchApi: ((input: RequestInfo | URL, init?: RequestInit) =>
          ++pineconeCalls % 3 === 1
            ? Promise.resolve(new Response('{"code":13,"message":"unavailable"}', { status: 503 }))
            : fetch(input, init)) as typeof fetch,
      }),
    });
    const steps = memorySteps({ retries: 10 });
    await eraseTenant(steps, deps, await newJob(t.id));
    expect(objectCalls).toBeGreaterThan(4);
    expect(pineconeCalls).toBeGreaterThan(1);
    expect(await remainsOfTenant(t.id)).toEqual(NOTHING);
    expect(await tombstoneCount(t.id)).toBe(1);
  }, 60_000);

  it('an object store whose deletes answer 204 but keep the object: the job fails, no tombstone, not erased', async () => {
    const t = await filledTenant();
    const deps = storeDeps({
      objectOptions: {
        fetch: (request) =>
          request.method === 'DELETE' ? Promise.resolve(new Response(null, { status: 204 })) : fetch(request),
      },
    });
    const params = await newJob(t.id);
    await expect(eraseTenant(memorySteps(), deps, params)).rejects.toBeInstanceOf(VerificationFailed);
    const job = await jobOf(t.id);
    expect(job.state).toBe('failed');
    expect(job.lastError).toContain('"objects":9');
    expect(await tombstoneCount(t.id)).toBe(0);
    const [tenant] = (await admin().query('select status::text as s from tenants where id = $1', [t.id])) as [
      { s: string },
    ];
    expect(tenant.s).toBe('deleting');
    expect((await remainsOfTenant(t.id)).objects).toBe(9);
  }, 60_000);
});
