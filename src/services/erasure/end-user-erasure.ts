// End-user erasure as a durable plan: one end user's conversations, messages, retrieval log rows
// and idempotency records, in batches under the tenant's context; then a count of what is left of
// them; only at zero a tombstone (naming the end user by a hash, never the id) and the job done.
// KV holds nothing keyed by an end user today (keys are t:{tenant}:{api-key|retrieval|generation}
// and retrieval entries are per query), so the cache count is 0 by construction, and documents
// record no owner, so none are theirs to delete (docs/erasure.md).
import { countEndUserRows, deleteEndUserBatch, END_USER_TABLES } from '../../db/repositories/end-user-records.ts';
import { findJob, updateJob } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { sha256Hex } from '../../tenancy/sha256.ts';
import { DEFAULT_BATCH_SIZE, type DurableSteps, type JobDeps } from '../jobs/durable-steps.ts';
import { systemContext } from '../jobs/system-context.ts';
import { VerificationFailed } from './tenant-erasure.ts';
import { patchJob } from './tenant-erasure-steps.ts';
import { leaveTombstone } from './tombstone.ts';

export interface EndUserErasureParams {
  jobId: string;
  tenantId: string;
  endUserId: string;
}

export const END_USER_ID = /^(widget:[0-9a-f]{64}|user:[\x21-\x7e]{1,256})$/;

export async function eraseEndUser(steps: DurableSteps, deps: JobDeps, params: EndUserErasureParams) {
  const ctx = systemContext(params.tenantId, 'erase-end-user');
  const { jobId, endUserId } = params;
  if (!END_USER_ID.test(endUserId)) throw new VerificationFailed('not an end-user id');
  const count = async () => {
    const [rows] = await withTenant(ctx, deps.settings, (scope) => [countEndUserRows(scope, endUserId)]);
    return rows.rows.reduce((sum, row) => sum + Number(row.rows), 0);
  };
  try {
    const total = await steps.do('census', async () => {
      const n = await count();
      const [job] = await withTenant(ctx, deps.settings, (scope) => [findJob(scope, jobId)]);
      const before = job.rows[0]?.progress.postgres?.done ?? 0;
      await patchJob(ctx, deps, jobId, {
        state: 'running',
        step: 'census',
        progress: { postgres: { done: before, total: before + n }, cache: { done: 0, total: 0 } },
      });
      return n;
    });
    const batch = deps.batchSize ?? DEFAULT_BATCH_SIZE;
    for (const table of END_USER_TABLES) {
      for (let i = 1; ; i++) {
        const n = await steps.do(`rows:${table}:${i}`, async () => {
          const [deleted] = await withTenant(ctx, deps.settings, (scope) => [
            deleteEndUserBatch(scope, table, endUserId, batch, jobId),
            updateJob(scope, jobId, { step: `rows:${table}` }),
          ]);
          return Number(deleted.rows[0]?.deleted ?? 0);
        });
        if (n < batch) break;
      }
    }
    const remaining = await steps.do('verify', async () => {
      await patchJob(ctx, deps, jobId, { state: 'verifying', step: 'verify' });
      return count();
    });
    if (remaining > 0) throw new VerificationFailed(`verification found ${remaining} rows of the end user left`);
    const endUserHash = sha256Hex(endUserId);
    await steps.do('tombstone', async () => {
      const [job] = await withTenant(ctx, deps.settings, (scope) => [findJob(scope, jobId)]);
      const row = job.rows[0];
      return leaveTombstone(ctx, deps, {
        jobId,
        action: 'end_user.erased',
        targetType: 'end_user',
        targetId: endUserHash,
        detail: {
          requestedBy: { kind: row?.requested_by_kind, id: row?.requested_by_id },
          requestedAt: row?.created_at,
          erasedAt: new Date().toISOString(),
          deleted: { postgres: row?.progress.postgres?.done ?? total, vectors: 0, objects: 0, cache: 0 },
          verification: { remaining: { postgres: 0, vectors: 0, objects: 0, cache: 0 }, passed: true },
        },
      });
    });
    await steps.do('finish', async () => {
      await patchJob(ctx, deps, jobId, { state: 'done', step: 'finish', result: { remaining: 0 } });
      return true;
    });
    return { total };
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
