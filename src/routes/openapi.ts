// GET /openapi.json: the app's OpenAPI 3.1 document, generated from its route table on first
// request (src/http/openapi-document.ts). Public, mounted above the tenant chain like /healthz: it
// describes the API, never a tenant, so every caller gets the same bytes (docs/threat-model.md T60).
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { describePublicRoute, media } from '../http/openapi-describe.ts';
import { openApiDocument } from '../http/openapi-document.ts';

export const OPENAPI_PATH = '/openapi.json';

/** `app` is the whole app, read at request time: routes mounted after this one are described too. */
export const openApiRoutes = (app: Hono<AppEnv>) =>
  new Hono<AppEnv>().get(
    OPENAPI_PATH,
    describePublicRoute({
      summary: 'This document',
      tags: ['public'],
      responses: { 200: media('The OpenAPI 3.1 document of this API', 'application/json', { type: 'object' }) },
    }),
    async (c) => c.json(await openApiDocument(app)),
  );
