// POST /v1/ingest (raw text from integrations) and POST /v1/query (retrieval).
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { describeTenantRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { ingestText } from '../../services/ingestion/ingest-text.ts';
import { retrieve } from '../../services/retrieval/retrieve.ts';
import { requireAuditedScope } from './guards.ts';
import { IngestionResult, RetrievalResult } from './response-schemas.ts';
import { IngestBody, QueryBody } from './schemas.ts';

export const retrievalRoutes = new Hono<AppEnv>()
  .post(
    '/ingest',
    describeTenantRoute({
      summary: 'Ingest text from an integration (Slack, email, web) as a document, at once',
      description: 'Re-ingesting a known externalId replaces that document’s content. Needs documents:write.',
      tags: ['retrieval'],
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      responses: { 201: json('The document, ingested (or failed, with the reason)', IngestionResult) },
    }),
    requireAuditedScope('documents:write'),
    idempotent(),
    validate('json', IngestBody),
    async (c) => {
      return c.json(await ingestText({ ...serviceCall(c), input: c.req.valid('json') }), 201);
    },
  )
  .post(
    '/query',
    describeTenantRoute({
      summary: 'Retrieve the chunks most similar to a query, from one project',
      tags: ['retrieval'],
      credentials: ['secretKey', 'publishableKey', 'userJwt'],
      responses: { 200: json('The chunks, best first', RetrievalResult) },
    }),
    requireAuditedScope('retrieval'),
    validate('json', QueryBody),
    async (c) => {
      return c.json(await retrieve({ ...serviceCall(c), input: c.req.valid('json') }));
    },
  );
