// Starting an export (tenant admin API) and handing out a finished one: the job, and for a done
// job a presigned GET per bundle file, valid for 15 minutes. A project export needs the project to
// be one the caller reaches; both are read under the caller's context.
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { findJob, insertJob, type JobRow } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import { type JobView, workflowInstanceId } from '../jobs/job-types.ts';
import { jobView } from '../jobs/job-view.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { bundleKey, DOWNLOAD_EXPIRY_SECONDS, presignBundleFile } from './bundle-store.ts';
import type { ExportParams } from './export-bundle.ts';

type Deps = Pick<ServiceDeps, 'settings' | 'requestId'>;

export async function requestExport({
  ctx,
  deps,
  input,
}: {
  ctx: TenantContext;
  deps: Deps;
  input: { projectId?: string; engine: JobEngine<ExportParams> };
}): Promise<JobView> {
  if (input.projectId !== undefined) assertProjectInScope(ctx, input.projectId);
  else if (ctx.projectIds !== 'all') throw notFound(); // a project-limited caller exports a project
  const subject = input.projectId ? { projectId: input.projectId } : {};
  const [inserted] = await withTenant(ctx, deps.settings, (scope) => [insertJob(scope, 'export', subject)]);
  const job = inserted.rows[0] as JobRow;
  await withTenant(ctx, deps.settings, (scope) => [
    recordAuditEvent(scope, {
      action: 'export.requested',
      projectId: input.projectId ?? null,
      targetType: 'job',
      targetId: job.id,
      detail: { outcome: 'allowed', requestId: deps.requestId },
    }),
  ]);
  const params: ExportParams = {
    jobId: job.id,
    tenantId: ctx.tenantId,
    ...(input.projectId && { projectId: input.projectId }),
  };
  await input.engine.create({ id: workflowInstanceId(job.id, job.attempt), params });
  return jobView(job);
}

export interface ExportDownload {
  job: JobView;
  /** Present once the job is done: file name → presigned GET. */
  downloads?: Record<string, string>;
  expiresInSeconds?: number;
}

export async function readExport({ ctx, deps, input }: { ctx: TenantContext; deps: Deps; input: { jobId: string } }) {
  const [found] = await withTenant(ctx, deps.settings, (scope) => [findJob(scope, input.jobId)]);
  const row = found.rows[0];
  if (!row || row.kind !== 'export') throw notFound();
  const projectId = typeof row.subject.projectId === 'string' ? row.subject.projectId : undefined;
  if (projectId !== undefined) assertProjectInScope(ctx, projectId);
  else if (ctx.projectIds !== 'all') throw notFound();
  const job = jobView(row);
  if (job.state !== 'done') return { job } satisfies ExportDownload;
  const files = (row.result?.files as string[] | undefined) ?? [];
  const downloads: Record<string, string> = {};
  for (const file of files) downloads[file] = await presignBundleFile(deps.settings, bundleKey(ctx, row.id, file));
  return { job, downloads, expiresInSeconds: DOWNLOAD_EXPIRY_SECONDS } satisfies ExportDownload;
}
