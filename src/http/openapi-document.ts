// The OpenAPI 3.1 document of an app, generated from its route table (hono-openapi walks
// app.routes): each route's describe… annotation (src/http/openapi-describe.ts), the zod schemas its
// validators check (src/http/openapi-validate.ts) and the shared error responses
// (src/http/openapi-errors.ts). Never written by hand; docs/openapi.md says how a route joins it.
import type { Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import type { AppEnv } from './app-env.ts';
import { errorResponseRef, errorResponses } from './openapi-errors.ts';

export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;
type Paths = OpenApiDocument['paths'];
type OperationLike = { requestBody?: unknown; responses?: Record<string, unknown> };

const DESCRIPTION = `Multi-tenant API for embeddable AI widgets: documents (uploaded through presigned URLs, or ingested as text), retrieval, and conversations whose answers cite the documents.

Every tenant route names exactly one tenant, through its credential (an API key, or the tenant's subdomain of the API host with a user JWT); another tenant's resource answers exactly like a missing one (404 not_found). Every error is one envelope, \`{ "error": { "code", "message", "requestId" } }\`, its code one of a closed set, each with one status. Answers carry \`X-Request-Id\`, \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`.`;

const SECURITY_SCHEMES = {
  secretKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description:
      'A secret key `sk_…` for servers, never for browsers; also accepted as `Authorization: Bearer sk_…`. Its scopes and projects are set by the tenant.',
  },
  publishableKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description:
      "A publishable key `pk_…` for the widget in web pages: chat and retrieval scopes only, and accepted only from the tenant's allowed origins (the browser's Origin header).",
  },
  userJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "An end user's JWT from the tenant's identity provider (claims sub, tenant, role, projects), verified under the tenant's keys: it narrows the key's (or the subdomain's) scopes and projects to the user's role.",
  },
  operatorCredential: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'op_…',
    description: 'The platform operator credential, `Authorization: Bearer op_…`: the /operator/v1 routes only.',
  },
} as const;

/** Operations with a JSON body can also be refused for its media type. */
function addMediaTypeRefusals(paths: Paths) {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item ?? {}) as OperationLike[]) {
      if (operation?.requestBody && operation.responses && !operation.responses['415']) {
        operation.responses['415'] = errorResponseRef(415);
      }
    }
  }
}

export async function buildOpenApiDocument(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  const document = await generateSpecs(app, {
    documentation: {
      info: { title: 'Bulkhead API', version: '1', description: DESCRIPTION },
      tags: [
        { name: 'caller', description: 'Who is calling, and what it reaches' },
        { name: 'documents', description: 'Uploads through presigned URLs, ingestion, downloads' },
        { name: 'retrieval', description: 'Text ingestion from integrations, similarity search' },
        { name: 'conversations', description: 'What the chat widget calls' },
        { name: 'public', description: 'No credential, no tenant' },
      ],
      // Only the typed shapes reach the components; security schemes and errors are the API's own.
      components: { securitySchemes: SECURITY_SCHEMES, responses: errorResponses() },
    },
    // The validators' default 400 is not this API's envelope: every operation lists its own.
    defaultValidationErrorResponse: false,
    // /openapi.json looks like a static file to hono-openapi, which would leave it out.
    excludeStaticFile: false,
  });
  addMediaTypeRefusals(document.paths);
  return document;
}

const built = new WeakMap<Hono<AppEnv>, Promise<OpenApiDocument>>();

/** Built once per app, on first use: the route table is complete by then. */
export function openApiDocument(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  let document = built.get(app);
  if (!document) {
    document = buildOpenApiDocument(app);
    built.set(app, document);
  }
  return document;
}
