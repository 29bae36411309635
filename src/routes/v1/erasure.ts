// Erasure requested by the tenant's own admin: POST /v1/erasure erases the whole tenant (the same
// job the operator API starts; a repeat answers it), POST /v1/erasure/end-users one end user.
// Both answer 202 with the job; GET /v1/jobs/{id} follows it. A tenant's own erasure starts after a
// grace hour (a repeat answers the same queued job); from its first step on the tenant's
// credentials are refused, so its end is read through the operator API.
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../../domain/api-error.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { describeTenantRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { requestEndUserErasure } from '../../services/erasure/request-end-user-erasure.ts';
import { requestTenantErasure } from '../../services/erasure/request-tenant-erasure.ts';
import { requireAuditedScope } from './guards.ts';
import { JobEnvelope } from './jobs.ts';
import { Uuid } from './schemas.ts';

const EndUserErasureBody = z.strictObject({
  /** As conversations show it: `widget:{64 hex}` or `user:{JWT sub}`. */
  endUserId: z.string().min(1).max(300),
});
/** The tenant's own id, as GET /v1/whoami shows it: another id is the 404 of a tenant not there. */
/** How long a tenant's own erasure request waits (job queued) before credentials are refused. */
export const SELF_ERASURE_GRACE_SECONDS = 3600;

const TenantErasureBody = z.strictObject({ confirmTenantId: Uuid });

export const erasureRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeTenantRoute({
      summary: 'Erase this tenant everywhere (Postgres, vectors, objects, cache); answers the job',
      description:
        'Irreversible. The body names the tenant’s own id (confirmTenantId). Needs admin. It starts after a grace hour; from then on every credential of the tenant is refused.',
      tags: ['erasure'],
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      responses: { 202: json('The erasure job', JobEnvelope) },
    }),
    requireAuditedScope('admin'),
    idempotent(),
    validate('json', TenantErasureBody),
    async (c) => {
      const { ctx, deps } = serviceCall(c);
      if (c.req.valid('json').confirmTenantId !== ctx.tenantId) throw notFound();
      const input = { engine: c.env.TENANT_ERASURE, graceSeconds: SELF_ERASURE_GRACE_SECONDS };
      const job = await requestTenantErasure({ ctx, deps, input });
      return c.json({ job }, 202);
    },
  )
  .post(
    '/end-users',
    describeTenantRoute({
      summary: 'Erase one end user: their conversations, messages, retrieval log rows; answers the job',
      tags: ['erasure'],
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      responses: { 202: json('The erasure job', JobEnvelope) },
    }),
    requireAuditedScope('admin'),
    idempotent(),
    validate('json', EndUserErasureBody),
    async (c) => {
      const { ctx, deps } = serviceCall(c);
      const { endUserId } = c.req.valid('json');
      const job = await requestEndUserErasure({ ctx, deps, input: { endUserId, engine: c.env.END_USER_ERASURE } });
      return c.json({ job }, 202);
    },
  );
