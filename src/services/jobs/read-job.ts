// GET a job: under the caller's tenant context, so another tenant's job id is simply not there.
import { findJob } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ServiceDeps } from '../service-deps.ts';
import type { JobView } from './job-types.ts';
import { jobView } from './job-view.ts';

export async function readJob({
  ctx,
  deps,
  input,
}: {
  ctx: TenantContext;
  deps: Pick<ServiceDeps, 'settings'>;
  input: { jobId: string };
}): Promise<JobView> {
  const [found] = await withTenant(ctx, deps.settings, (scope) => [findJob(scope, input.jobId)]);
  const row = found.rows[0];
  if (!row) throw notFound();
  return jobView(row);
}
