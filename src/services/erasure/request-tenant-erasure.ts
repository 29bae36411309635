// Starting (or resuming) a tenant's erasure: one job per tenant, ever. A repeated request answers
// the same job; a failed one, or one whose Workflow instance died without saying so, is resumed as
// a fresh attempt (a new instance of the same plan, which finds what is left and finishes it).
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { tenantStatus } from '../../db/repositories/erasure-records.ts';
import { insertJob, type JobRow, resumeJob, tenantErasureJob, updateJob } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { instanceEnded, type JobEngine } from '../jobs/job-engine.ts';
import { type JobView, workflowInstanceId } from '../jobs/job-types.ts';
import { jobView } from '../jobs/job-view.ts';
import type { ServiceDeps } from '../service-deps.ts';

export interface ErasureRequest {
  ctx: TenantContext;
  deps: Pick<ServiceDeps, 'settings' | 'requestId'>;
  input: { engine: JobEngine; graceSeconds?: number };
}

export async function requestTenantErasure({ ctx, deps, input }: ErasureRequest): Promise<JobView> {
  // An operator may name any id: one that is no tenant is a 404, before a job row could refer to it.
  const [tenant] = await withTenant(ctx, deps.settings, (scope) => [tenantStatus(scope)]);
  if (tenant.rows.length === 0) throw notFound();
  const [inserted, existing] = await withTenant(ctx, deps.settings, (scope) => [
    insertJob(scope, 'tenant_erasure'),
    tenantErasureJob(scope),
  ]);
  let job = existing.rows[0] as JobRow;
  if (inserted.rows.length === 1) {
    await withTenant(ctx, deps.settings, (scope) => [
      recordAuditEvent(scope, {
        action: 'tenant.erasure.requested',
        targetType: 'job',
        targetId: job.id,
        detail: { outcome: 'allowed', requestId: deps.requestId },
      }),
    ]);
    await start(input, ctx, job);
    return jobView(job);
  }
  if (job.state === 'done') return jobView(job);
  if (job.state !== 'failed') {
    if (!(await instanceEnded(input.engine, workflowInstanceId(job.id, job.attempt)))) return jobView(job);
    await withTenant(ctx, deps.settings, (scope) => [
      updateJob(scope, job.id, { state: 'failed', lastError: 'the Workflow instance ended without finishing' }),
    ]);
  }
  const [resumed] = await withTenant(ctx, deps.settings, (scope) => [resumeJob(scope, job.id)]);
  job = resumed.rows[0] ?? job;
  if (resumed.rows.length === 1) await start(input, ctx, job);
  return jobView(job);
}

async function start(input: ErasureRequest['input'], ctx: TenantContext, job: JobRow): Promise<void> {
  const grace = input.graceSeconds ? { graceSeconds: input.graceSeconds } : {};
  await input.engine.create({
    id: workflowInstanceId(job.id, job.attempt),
    params: { jobId: job.id, tenantId: ctx.tenantId, ...grace },
  });
}
