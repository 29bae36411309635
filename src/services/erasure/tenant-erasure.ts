// Tenant erasure as a durable plan (docs/erasure.md): status `deleting` first, so the tenant's
// credentials are refused; then every store emptied in batches, Postgres first; then a count of
// what is left in all four stores. Anything left (an ingestion that was mid-batch when its rows
// went, say) sends the plan round again, up to MAX_ROUNDS; after that the job fails, never "done".
// Only at zero: the tombstone, status `erased`, job done.
//
// In-flight ingestion is cancelled by deleting under it: its next chunk write fails on the
// document's foreign key, and it then removes its own vectors (run-ingestion.ts). The settle pause
// before each count lets such a run finish failing; the next round catches what it left.

import { setTenantErasureStatus } from '../../db/repositories/erasure-records.ts';
import { findJob, updateJob } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { DEFAULT_SETTLE_MILLISECONDS, type DurableSteps, type JobDeps } from '../jobs/durable-steps.ts';
import type { JobParams } from '../jobs/job-types.ts';
import { systemContext } from '../jobs/system-context.ts';
import {
  beginErasure,
  deleteCachePage,
  deleteObjectPage,
  deleteRows,
  deleteVectors,
  isZero,
  patchJob,
  type StoreCounts,
  takeCensus,
  type Verification,
  verifyErased,
} from './tenant-erasure-steps.ts';
import { leaveTombstone } from './tombstone.ts';

export const MAX_ROUNDS = 3;

/** Data left after the last round: the job fails; retrying the same instance would not help. */
export class VerificationFailed extends Error {
  override name = 'VerificationFailed';
}

export interface TenantErasureOutcome {
  deleted: StoreCounts;
  verification: Verification;
  rounds: number;
}

export async function eraseTenant(
  steps: DurableSteps,
  deps: JobDeps,
  params: JobParams,
): Promise<TenantErasureOutcome> {
  const ctx = systemContext(params.tenantId, 'erase-tenant');
  const { jobId } = params;
  try {
    // A tenant's own request has a grace period (its job is queued meanwhile); an operator's has none.
    if (params.graceSeconds) await steps.sleep('grace', params.graceSeconds * 1000);
    await steps.do('begin', () => beginErasure(ctx, deps, jobId));
    const census = await steps.do('census', () => takeCensus(ctx, deps, jobId));
    const deleted = { ...census.doneBefore };
    const total = {
      postgres: census.doneBefore.postgres + census.remaining.postgres,
      vectors: census.doneBefore.vectors + census.remaining.vectors,
      objects: census.doneBefore.objects + census.remaining.objects,
      cache: census.doneBefore.cache + census.remaining.cache,
    };
    for (let round = 1; ; round++) {
      await sweep(steps, deps, ctx, jobId, census.tables, round, deleted, total);
      await steps.sleep(`settle-${round}`, deps.settleMilliseconds ?? DEFAULT_SETTLE_MILLISECONDS);
      const verification = await steps.do(`verify-${round}`, () => verifyErased(ctx, deps, jobId));
      if (isZero(verification)) {
        await steps.do('tombstone', async () => {
          const job = (await withTenant(ctx, deps.settings, (scope) => [findJob(scope, jobId)]))[0].rows[0];
          const progress = job?.progress ?? {};
          // The job row's figures: postgres is added to in the statements that delete (never twice).
          const counted = {
            postgres: progress.postgres?.done ?? deleted.postgres,
            vectors: progress.vectors?.done ?? deleted.vectors,
            objects: progress.objects?.done ?? deleted.objects,
            cache: progress.cache?.done ?? deleted.cache,
          };
          return leaveTombstone(ctx, deps, {
            jobId,
            action: 'tenant.erased',
            targetType: 'tenant',
            targetId: ctx.tenantId,
            detail: {
              requestedBy: { kind: job?.requested_by_kind, id: job?.requested_by_id },
              requestedAt: job?.created_at,
              erasedAt: new Date().toISOString(),
              deleted: counted,
              verification: { remaining: verification.remaining, passed: true },
              rounds: round,
            },
          });
        });
        await steps.do('finish', async () => {
          await withTenant(ctx, deps.settings, (scope) => [
            setTenantErasureStatus(scope, 'erased'),
            updateJob(scope, jobId, {
              state: 'done',
              step: 'finish',
              result: { remaining: verification.remaining, rounds: round },
            }),
          ]);
          return true;
        });
        return { deleted, verification, rounds: round };
      }
      if (round >= MAX_ROUNDS) {
        const left = JSON.stringify({
          remaining: verification.remaining,
          tables: verification.tables,
          uncountable: verification.uncountable,
        });
        throw new VerificationFailed(`verification found data left after ${round} rounds: ${left}`);
      }
    }
  } catch (error) {
    await steps.do('failed', async () => {
      await patchJob(ctx, deps, jobId, {
        state: 'failed',
        lastError: String((error as Error)?.message ?? error).slice(0, 2000),
      });
      return true;
    });
    throw error;
  }
}

/** One store's entry; updateJob merges it into the row, leaving the others as they are. */
function storeProgress(store: 'vectors' | 'objects' | 'cache', done: number, total: StoreCounts) {
  return { [store]: { done, total: Math.max(total[store], done) } };
}

/** One pass over the four stores; `deleted` accumulates step results (replayed, never re-run). */
async function sweep(
  steps: DurableSteps,
  deps: JobDeps,
  ctx: TenantContext,
  jobId: string,
  tables: readonly string[],
  round: number,
  deleted: StoreCounts,
  total: StoreCounts,
): Promise<void> {
  const batch = deps.batchSize ?? 1000;
  for (const table of tables) {
    for (let i = 1; ; i++) {
      const n = await steps.do(`r${round}:rows:${table}:${i}`, () => deleteRows(ctx, deps, jobId, table));
      deleted.postgres += n;
      if (n < batch) break;
    }
  }
  const vectors = await steps.do(`r${round}:vectors`, async () => {
    const n = await deleteVectors(ctx, deps);
    await patchJob(ctx, deps, jobId, {
      step: 'vectors',
      progress: storeProgress('vectors', deleted.vectors + n, total),
    });
    return n;
  });
  deleted.vectors += vectors;
  for (const [store, deletePage] of [
    ['objects', deleteObjectPage],
    ['cache', deleteCachePage],
  ] as const) {
    // Bounded by the census: a store whose deletes do not take would list the same page forever;
    // the verification, which counts, then finds what is left.
    const pages = Math.ceil(total[store] / batch) + 2;
    for (let i = 1; i <= pages; i++) {
      const page = await steps.do(`r${round}:${store}:${i}`, async () => {
        const result = await deletePage(ctx, deps);
        await patchJob(ctx, deps, jobId, {
          step: store,
          progress: storeProgress(store, deleted[store] + result.deleted, total),
        });
        return result;
      });
      deleted[store] += page.deleted;
      if (!page.more || page.deleted === 0) break;
    }
  }
}
