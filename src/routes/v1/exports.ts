// POST /v1/exports (the tenant, or one project with projectId) starts an export and answers the
// job; GET /v1/exports/{id} answers the job and, once done, a presigned GET (15 minutes) for each
// bundle file: JSON Lines per table and manifest.json with the original objects' sizes and SHA-256.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { describeTenantRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { readExport, requestExport } from '../../services/export/request-export.ts';
import { requireAuditedScope } from './guards.ts';
import { JobEnvelope, JobSchema } from './jobs.ts';
import { IdParam, Uuid } from './schemas.ts';

const ExportBody = z.strictObject({ projectId: Uuid.optional() });
const ExportDownload = z
  .strictObject({
    job: JobSchema,
    downloads: z.record(z.string(), z.string()).optional(),
    expiresInSeconds: z.number().int().optional(),
  })
  .meta({ id: 'ExportDownload' });

export const exportRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeTenantRoute({
      summary: 'Export the tenant (or one project) as a bundle under its own object prefix; answers the job',
      tags: ['exports'],
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      responses: { 202: json('The export job', JobEnvelope) },
    }),
    requireAuditedScope('admin'),
    idempotent(),
    validate('json', ExportBody),
    async (c) => {
      const { ctx, deps } = serviceCall(c);
      const { projectId } = c.req.valid('json');
      const job = await requestExport({ ctx, deps, input: { projectId, engine: c.env.TENANT_EXPORT } });
      return c.json({ job }, 202);
    },
  )
  .get(
    '/:id',
    describeTenantRoute({
      summary: 'An export job; once done, presigned GETs (15 minutes) for its bundle files',
      tags: ['exports'],
      credentials: ['secretKey', 'userJwt'],
      responses: { 200: json('The export', ExportDownload) },
    }),
    requireAuditedScope('admin'),
    validate('param', IdParam),
    async (c) => c.json(await readExport({ ...serviceCall(c), input: { jobId: c.req.valid('param').id } })),
  );
