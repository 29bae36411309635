// POST /v1/ingest (raw text from integrations) and POST /v1/query (retrieval).
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { validate } from '../../http/validate.ts';
import { ingestText } from '../../services/ingestion/ingest-text.ts';
import { retrieve } from '../../services/retrieval/retrieve.ts';
import { requireAuditedScope } from './guards.ts';
import { IngestBody, QueryBody } from './schemas.ts';

export const retrievalRoutes = new Hono<AppEnv>()
  .post('/ingest', requireAuditedScope('documents:write'), idempotent(), validate('json', IngestBody), async (c) => {
    return c.json(await ingestText({ ...serviceCall(c), input: c.req.valid('json') }), 201);
  })
  .post('/query', requireAuditedScope('retrieval'), validate('json', QueryBody), async (c) => {
    return c.json(await retrieve({ ...serviceCall(c), input: c.req.valid('json') }));
  });
