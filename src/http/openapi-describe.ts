// How a route describes itself in the OpenAPI document (docs/openapi.md): one describe… call in
// the route's middleware chain, before its validators. The request half comes from the validators
// (src/http/openapi-validate.ts); this adds what only the route knows: summary, credentials,
// success responses and their examples. Every error is the one envelope (src/http/error-envelope.ts)
// under the shared responses of src/http/openapi-errors.ts, so a route lists statuses, not shapes.
import { type DescribeRouteOptions, describeRoute, resolver } from 'hono-openapi';
import type { z } from 'zod';
import { type ErrorStatus, errorResponseRef } from './openapi-errors.ts';

/** The security schemes of the document (src/http/openapi-document.ts). */
export type Credential = 'secretKey' | 'publishableKey' | 'userJwt' | 'operatorCredential';

type Responses = NonNullable<DescribeRouteOptions['responses']>;

export interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  /** Any one of these is accepted (OR), as the route's guards decide; empty for a public route. */
  credentials: Credential[];
  /** Success responses by status: json(...), noContent(...), stream(...). */
  responses: Responses;
  /** Error statuses beyond the defaults of describeTenantRoute / describePublicRoute. */
  errors?: ErrorStatus[];
  /** The route mounts idempotent(): the Idempotency-Key header, its 409 and 422. */
  idempotent?: boolean;
}

/** Errors any route behind the tenant chain can answer: validation, credentials, scope or flag,
 * "not yours looks like not there", body limit, rate limit, and the server's own failures. */
export const TENANT_ERRORS: readonly ErrorStatus[] = [400, 401, 403, 404, 413, 429, 500, 503];

const IDEMPOTENCY_KEY = {
  in: 'header',
  name: 'Idempotency-Key',
  required: false,
  description:
    'Retry-safe POST: the same key and request within 24 h replays the stored 2xx answer with `Idempotent-Replayed: true`; another request under the key is 422 idempotency_conflict; one still running is 409 conflict with Retry-After.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
} as const;

export function describeOperation(operation: Operation, defaultErrors: readonly ErrorStatus[]) {
  const errors = new Set([...defaultErrors, ...(operation.errors ?? []), ...(operation.idempotent ? [409, 422] : [])]);
  const responses: Responses = { ...operation.responses };
  for (const status of [...errors].sort()) responses[status] = errorResponseRef(status as ErrorStatus);
  return describeRoute({
    summary: operation.summary,
    ...(operation.description && { description: operation.description }),
    tags: operation.tags,
    security: operation.credentials.map((credential) => ({ [credential]: [] })),
    ...(operation.idempotent && { parameters: [IDEMPOTENCY_KEY] }),
    responses,
  });
}

/** A route behind the tenant chain (everything under /v1). */
export const describeTenantRoute = (operation: Operation) => describeOperation(operation, TENANT_ERRORS);

/** An operator API route (/operator/v1): the operator credential, never a tenant's. */
export const describeOperatorRoute = (operation: Omit<Operation, 'credentials'>) =>
  describeOperation({ ...operation, credentials: ['operatorCredential'] }, [400, 401, 403, 404, 500, 503]);

/** A route above the tenant chain: no credential, no tenant, only the server's own failures. */
export const describePublicRoute = (operation: Omit<Operation, 'credentials'>) =>
  describeOperation({ ...operation, credentials: [] }, [500]);

/** A JSON success response whose body is `schema` (a zod schema: its JSON Schema is generated). */
export function json(description: string, schema: z.ZodType, example?: unknown) {
  return {
    description,
    content: { 'application/json': { schema: resolver(schema), ...(example !== undefined && { example }) } },
  };
}

/** A success response without a body (204). */
export const noContent = (description: string) => ({ description });

/** A non-JSON success response: text/event-stream, a download, HTML. */
export const media = (description: string, mediaType: string, schema: object = { type: 'string' }) => ({
  description,
  content: { [mediaType]: { schema } },
});
