// GET /v1/jobs/{id}: a durable job of the caller's tenant (erasure, export) and how far it got.
// Read under RLS, so another tenant's job id is the same 404 as a random one.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.ts';
import { describeTenantRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { readJob } from '../../services/jobs/read-job.ts';
import { requireAuditedScope } from './guards.ts';
import { IdParam } from './schemas.ts';

const StoreProgress = z.strictObject({ done: z.number().int(), total: z.number().int() });

export const JobSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(['tenant_erasure', 'end_user_erasure', 'export']),
    state: z.enum(['queued', 'running', 'verifying', 'done', 'failed']),
    step: z.string().nullable(),
    progress: z.strictObject({
      postgres: StoreProgress.optional(),
      vectors: StoreProgress.optional(),
      objects: StoreProgress.optional(),
      cache: StoreProgress.optional(),
    }),
    result: z.record(z.string(), z.unknown()).nullable(),
    attempt: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });

export const JobEnvelope = z.strictObject({ job: JobSchema });

export const jobRoutes = new Hono<AppEnv>().get(
  '/:id',
  describeTenantRoute({
    summary: 'A durable job (erasure, export): state, current step, progress per store, times, last error',
    tags: ['jobs'],
    credentials: ['secretKey', 'userJwt'],
    responses: { 200: json('The job', JobEnvelope) },
  }),
  requireAuditedScope('admin'),
  validate('param', IdParam),
  async (c) => c.json({ job: await readJob({ ...serviceCall(c), input: { jobId: c.req.valid('param').id } }) }),
);
