// The erasure soak (scripts/soak-erasure.ts runs it; `npm test` does not): many runs, each a fresh
// tenant of random size next to a neighbour, erased by the plan with a kill at a random step
// (after that step's work committed), sometimes a flaky object store, then resumed to the end.
// Each run is judged by the independent count (tenant-data.ts): anything left is an orphan, and
// any change to the neighbour is a failure.
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { insertJob } from '../../../src/db/repositories/jobs.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { eraseTenant } from '../../../src/services/erasure/tenant-erasure.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { Killed, memorySteps } from './memory-steps.ts';
import { fillTenant, insertTenant, remainsOfTenant } from './tenant-data.ts';

const RUNS = Number((env as unknown as { SOAK_RUNS?: string }).SOAK_RUNS ?? '200');
const pick = (n: number) => Math.floor(Math.random() * n);

it(`erasure soak: ${RUNS} randomised runs`, async () => {
  const neighbour = await insertTenant();
  await fillTenant(neighbour.id, neighbour.projectId);
  const baseline = await remainsOfTenant(neighbour.id);
  let failures = 0;
  let orphans = 0;
  let kills = 0;
  const started = Date.now();
  for (let run = 1; run <= RUNS; run++) {
    const t = await insertTenant();
    const sizes = {
      documents: 1 + pick(20),
      chunksPerDocument: 1 + pick(6),
      objects: pick(12),
      cacheKeys: pick(10),
      conversations: pick(4),
    };
    await fillTenant(t.id, t.projectId, sizes);
    const [job] = await withTenant(tenantContext(t.id), testSettings(), (scope) => [
      insertJob(scope, 'tenant_erasure'),
    ]);
    const params = { jobId: (job.rows[0] as { id: string }).id, tenantId: t.id };
    let flaky = 0;
    const deps = {
      settings: testSettings(),
      kv: env.CACHE,
      pinecone: pineconeIndex(testSettings()),
      batchSize: 1 + pick(8),
      objectOptions:
        run % 3 === 0
          ? {
              fetch: (r: Request) =>
                ++flaky % 5 === 0 ? Promise.resolve(new Response('', { status: 503 })) : fetch(r),
            }
          : undefined,
    };
    const killAt = 1 + pick(25);
    let seen = 0;
    try {
      await eraseTenant(
        memorySteps({
          afterWork: () => {
            if (++seen === killAt) throw new Killed(`run ${run}: killed after step ${seen}`);
          },
        }),
        deps,
        params,
      );
    } catch (error) {
      if (!(error instanceof Killed)) failures++;
      else kills++;
    }
    try {
      await eraseTenant(memorySteps(), deps, params); // the resume: finishes what is left
    } catch (error) {
      failures++;
      console.error(`run ${run}: resume failed: ${String(error)}`);
    }
    const left = await remainsOfTenant(t.id);
    const found = Object.values(left.rows).reduce((a, b) => a + b, 0) + left.vectors + left.objects + left.cacheKeys;
    if (found > 0) {
      orphans += found;
      failures++;
      console.error(`run ${run}: ${found} orphans ${JSON.stringify(left)}`);
    }
    if (run % 20 === 0) console.log(`soak: ${run}/${RUNS} runs, ${failures} failures, ${orphans} orphans`);
  }
  const neighbourAfter = await remainsOfTenant(neighbour.id);
  if (JSON.stringify(neighbourAfter) !== JSON.stringify(baseline)) failures++;
  const result = {
    erasureFaultRuns: RUNS,
    erasureKills: kills,
    erasureFailures: failures,
    erasureOrphans: orphans,
    soakSeconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`SOAK_RESULT ${JSON.stringify(result)}`);
  expect(result).toMatchObject({ erasureFailures: 0, erasureOrphans: 0 });
});
