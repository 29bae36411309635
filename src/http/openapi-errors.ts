// The error half of the OpenAPI document, generated from the closed set of codes in
// src/domain/api-error.ts: one shared response per status, whose body is the one envelope of
// src/http/error-envelope.ts with `code` limited to the codes that status carries.
import { ERROR_STATUS, type ErrorCode } from '../domain/api-error.ts';

export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

const REASONS: Record<ErrorStatus, string> = {
  400: 'Bad request: the message names the field paths (never the values)',
  401: 'Missing or invalid credentials (WWW-Authenticate: Bearer)',
  403: 'The credential lacks a scope, a feature flag is off, or a limit is reached (the message names which)',
  404: 'Not found: another tenant’s resource gets this same answer',
  405: 'Method not allowed on this path (Allow names the methods)',
  409: 'Conflict: the resource is not in a state that allows this, or the Idempotency-Key is in use (Retry-After)',
  413: 'The body is larger than the limit',
  415: 'Send a JSON body (Content-Type: application/json)',
  422: 'The Idempotency-Key was already used for another request',
  429: 'Rate limited: Retry-After and RateLimit-* say when to retry',
  500: 'Internal error or misconfiguration of the server; the requestId finds it in the logs',
  503: 'A dependency is unavailable; retry later',
};

export const responseName = (status: ErrorStatus) => `Error${status}`;

export const errorResponseRef = (status: ErrorStatus) => ({ $ref: `#/components/responses/${responseName(status)}` });

const codesOf = (status: ErrorStatus) =>
  (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);

/** The envelope every error answers with, whatever its code. */
export const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        message: { type: 'string' },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

function errorResponse(status: ErrorStatus) {
  const codes = codesOf(status);
  const schema = structuredClone(ERROR_ENVELOPE_SCHEMA) as unknown as {
    properties: { error: { properties: { code: { enum: string[] } } } };
  };
  schema.properties.error.properties.code.enum = codes;
  return {
    description: `${REASONS[status]}. Codes: ${codes.join(', ')}.`,
    content: {
      'application/json': {
        schema,
        example: {
          error: { code: codes[0], message: REASONS[status], requestId: '3f2b9c1e-0d4a-4c1b-9a57-6f1e2d3c4b5a' },
        },
      },
    },
  };
}

/** components.responses: Error400 … Error503, one per status the API can answer with. */
export function errorResponses() {
  const statuses = [...new Set(Object.values(ERROR_STATUS))].sort() as ErrorStatus[];
  return Object.fromEntries(statuses.map((status) => [responseName(status), errorResponse(status)]));
}
