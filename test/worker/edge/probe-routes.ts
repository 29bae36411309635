// Stand-ins for the tenant routes other issues will add (ingest, chat, admin), mounted behind the
// real middleware chain through createApp({ tenantRoutes }). They guard with requireScope (a plain,
// test-only scope check beside them), validate, and limits read from the TenantContext only.
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { validate } from '../../../src/http/validate.ts';
import { requireScope } from './require-scope.ts';

const ChatBody = z.object({ message: z.string().min(1).max(4000), topK: z.int().min(1).max(100).optional() });
const IngestBody = z.strictObject({ title: z.string().min(1).max(200), sizeBytes: z.int().min(1) });
const PageQuery = z.object({ pageSize: z.coerce.number().int().min(1).max(100).optional() });

export const probeRoutes = new Hono<AppEnv>()
  .post('/v1/probe/chat', requireScope('chat'), validate('json', ChatBody), (c) => {
    const tenant = c.get('tenant');
    const body = c.req.valid('json');
    if (body.topK !== undefined && body.topK > tenant.limits.maxTopK) {
      throw new ApiError('bad_request', `topK: must be at most ${tenant.limits.maxTopK}`);
    }
    return c.json({ tenantId: tenant.tenantId, accepted: body });
  })
  .post('/v1/probe/ingest', requireScope('documents:write'), validate('json', IngestBody), (c) => {
    const tenant = c.get('tenant');
    const body = c.req.valid('json');
    if (body.sizeBytes > tenant.limits.maxUploadBytes) throw new ApiError('bad_request', 'sizeBytes: too large');
    return c.json({ tenantId: tenant.tenantId, accepted: body }, 201);
  })
  .delete('/v1/probe/documents/:id', requireScope('documents:write'), (c) => c.body(null, 204))
  .post('/v1/probe/admin', requireScope('admin'), (c) => c.json({ ok: true }))
  .get('/v1/probe/documents', requireScope('documents:read'), validate('query', PageQuery), (c) =>
    c.json({ pageSize: c.req.valid('query').pageSize ?? 20 }),
  )
  .post('/v1/probe/echo', validate('json', z.object({ metadata: z.unknown() })), (c) => c.json(c.req.valid('json')));
