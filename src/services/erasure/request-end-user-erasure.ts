// Starting an end user's erasure (tenant admin API): a job of its own each time it is asked, the
// Workflow started with the end user's id; the job row keeps only a hash of it.
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { insertJob, type JobRow } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { sha256Hex } from '../../tenancy/sha256.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import { type JobView, workflowInstanceId } from '../jobs/job-types.ts';
import { jobView } from '../jobs/job-view.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { END_USER_ID, type EndUserErasureParams } from './end-user-erasure.ts';

export async function requestEndUserErasure({
  ctx,
  deps,
  input,
}: {
  ctx: TenantContext;
  deps: Pick<ServiceDeps, 'settings' | 'requestId'>;
  input: { endUserId: string; engine: JobEngine<EndUserErasureParams> };
}): Promise<JobView> {
  if (!END_USER_ID.test(input.endUserId)) {
    throw new ApiError('bad_request', 'endUserId must be widget:{64 hex} or user:{sub}, as conversations show it');
  }
  const endUserHash = sha256Hex(input.endUserId);
  const [inserted] = await withTenant(ctx, deps.settings, (scope) => [
    insertJob(scope, 'end_user_erasure', { endUserHash }),
  ]);
  const job = inserted.rows[0] as JobRow;
  await withTenant(ctx, deps.settings, (scope) => [
    recordAuditEvent(scope, {
      action: 'end_user.erasure.requested',
      targetType: 'job',
      targetId: job.id,
      detail: { outcome: 'allowed', requestId: deps.requestId, endUserHash },
    }),
  ]);
  await input.engine.create({
    id: workflowInstanceId(job.id, job.attempt),
    params: { jobId: job.id, tenantId: ctx.tenantId, endUserId: input.endUserId },
  });
  return jobView(job);
}
