// The erasure and export benchmark (bench/erasure.ts runs it; `npm test` does not): one tenant of
// BENCH_DOCUMENTS documents × BENCH_CHUNKS chunks (vectors), BENCH_OBJECTS objects, next to 20
// small tenants; export, then erase, timing each store's steps; then the neighbours' counts are
// checked unchanged and the tenant's are 0. Plans run on the in-isolate engine (no Workflow
// overhead between steps), so the figures are the stores' own time.
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { insertJob } from '../../../src/db/repositories/jobs.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { eraseTenant } from '../../../src/services/erasure/tenant-erasure.ts';
import { exportBundle } from '../../../src/services/export/export-bundle.ts';
import type { DurableSteps } from '../../../src/services/jobs/durable-steps.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { fillTenant, insertTenant, remainsOfTenant, SMALL } from './tenant-data.ts';

const bindings = env as unknown as Record<string, string | undefined>;
const size = (name: string, fallback: number) => Number(bindings[name] ?? fallback);

/** Steps run at once, their time summed by kind: rows, vectors, objects, cache, verify, other. */
function timedSteps(times: Record<string, number>): DurableSteps {
  return {
    async do<T>(name: string, work: () => Promise<T>): Promise<T> {
      const kind =
        /^r\d+:(rows|vectors|objects|cache)/.exec(name)?.[1] ??
        (name.startsWith('verify') ? 'verify' : (name.split(':')[0] ?? name));
      const started = performance.now();
      try {
        return await work();
      } finally {
        times[kind] = (times[kind] ?? 0) + (performance.now() - started) / 1000;
      }
    },
    async sleep() {},
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

it('erasure and export of a large tenant next to 20 others', async () => {
  const documents = size('BENCH_DOCUMENTS', 10_000);
  const chunks = size('BENCH_CHUNKS', 10);
  const objects = size('BENCH_OBJECTS', 1_000);
  const others = await Promise.all(Array.from({ length: 20 }, () => insertTenant()));
  for (const o of others) await fillTenant(o.id, o.projectId, SMALL);
  const before = await Promise.all(others.map((o) => remainsOfTenant(o.id)));
  const t = await insertTenant();
  const seedStart = performance.now();
  await fillTenant(t.id, t.projectId, {
    documents,
    chunksPerDocument: chunks,
    objects,
    cacheKeys: 100,
    conversations: 50,
  });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const deps = { settings: testSettings(), kv: env.CACHE, pinecone: pineconeIndex(testSettings()) };
  const newJob = async (kind: 'export' | 'tenant_erasure') => {
    const [job] = await withTenant(tenantContext(t.id), testSettings(), (scope) => [insertJob(scope, kind)]);
    return (job.rows[0] as { id: string }).id;
  };

  const exportTimes: Record<string, number> = {};
  const exportStart = performance.now();
  const bundle = await exportBundle(timedSteps(exportTimes), deps, { jobId: await newJob('export'), tenantId: t.id });
  const exportSeconds = (performance.now() - exportStart) / 1000;

  const erasureTimes: Record<string, number> = {};
  const erasureStart = performance.now();
  const outcome = await eraseTenant(
    timedSteps(erasureTimes),
    { ...deps, settleMilliseconds: 0 },
    {
      jobId: await newJob('tenant_erasure'),
      tenantId: t.id,
    },
  );
  const erasureSeconds = (performance.now() - erasureStart) / 1000;

  expect(outcome.verification.remaining).toEqual({ postgres: 0, vectors: 0, objects: 0, cache: 0 });
  const after = await Promise.all(others.map((o) => remainsOfTenant(o.id)));
  expect(after).toEqual(before);
  const figures = {
    documents,
    vectors: documents * chunks,
    objects,
    seedSeconds: round(seedSeconds),
    erasureSeconds: round(erasureSeconds),
    erasureStoreSeconds: Object.fromEntries(Object.entries(erasureTimes).map(([k, v]) => [k, round(v)])),
    exportSeconds: round(exportSeconds),
    exportStoreSeconds: Object.fromEntries(Object.entries(exportTimes).map(([k, v]) => [k, round(v)])),
    exportBundleBytes: bundle.bundleBytes,
    untouchedTenants: others.length,
  };
  console.log(`BENCH_RESULT ${JSON.stringify(figures)}`);
});
