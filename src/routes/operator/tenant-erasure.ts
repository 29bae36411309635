// Operator API for erasure (mounted at /operator/v1 by the operator router, behind the
// operator credential): POST /tenants/{id}/erasure starts the tenant's erasure (or answers, or
// resumes, its one job), GET /tenants/{id}/jobs/{jobId} reads any job of that tenant, before,
// during and after the erasure (the tenant's own credentials are refused by then).
import { Hono } from 'hono';
import { z } from 'zod';
import { readSettings } from '../../config/settings.ts';
import { notFound } from '../../domain/api-error.ts';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { describeOperatorRoute, json } from '../../http/openapi-describe.ts';
import { requestTenantErasure } from '../../services/erasure/request-tenant-erasure.ts';
import { readJob } from '../../services/jobs/read-job.ts';
import { operatorContext } from '../../services/jobs/system-context.ts';
import { JobEnvelope } from '../v1/jobs.ts';

const TenantParam = z.object({ id: z.string().regex(UUID_PATTERN) });
const JobParam = TenantParam.extend({ jobId: z.string().regex(UUID_PATTERN) });

function tenantOf(value: unknown, schema: z.ZodType<{ id: string }> = TenantParam) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** Who the operator is, as the operator middleware recorded it (a constant until it does). */
function operatorId(c: { get(key: never): unknown }): string {
  const operator = (c.get as (key: string) => unknown)('operator') as { id?: string } | undefined;
  return operator?.id ?? 'operator';
}

export const tenantErasureRoutes = new Hono<AppEnv>()
  .post(
    '/tenants/:id/erasure',
    describeOperatorRoute({
      summary: 'Erase a tenant: start its erasure job, or answer (or resume) the one it has',
      tags: ['operator'],
      responses: { 202: json('The erasure job', JobEnvelope) },
    }),
    async (c) => {
      const { id } = tenantOf(c.req.param());
      const ctx = operatorContext(id, operatorId(c));
      const deps = { settings: readSettings(c.env), requestId: c.get('requestId') };
      const job = await requestTenantErasure({ ctx, deps, input: { engine: c.env.TENANT_ERASURE } });
      return c.json({ job }, 202);
    },
  )
  .get(
    '/tenants/:id/jobs/:jobId',
    describeOperatorRoute({
      summary: 'A job of a tenant (erasure, export), before, during and after the erasure',
      tags: ['operator'],
      responses: { 200: json('The job', JobEnvelope) },
    }),
    async (c) => {
      const params = JobParam.safeParse(c.req.param());
      if (!params.success) throw notFound();
      const ctx = operatorContext(params.data.id, operatorId(c));
      const job = await readJob({ ctx, deps: { settings: readSettings(c.env) }, input: { jobId: params.data.jobId } });
      return c.json({ job });
    },
  );
