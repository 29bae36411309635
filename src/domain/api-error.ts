// The domain's one error: a closed set of codes, each with one HTTP status, and a message safe to
// show the caller (never a stack or SQL text). No Hono here: db/, stores/, tenancy/ and services/
// throw it; only src/http/error-envelope.ts turns it into a response.
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  /** A feature flag of the tenant is off (the message names it): provisioning, not the credential. */
  feature_disabled: 403,
  /** A limit of the tenant's provisioning is reached (the message names it and its value). */
  limit_exceeded: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** The resource is not in a state that allows the request, e.g. completing before the upload. */
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The Idempotency-Key was already used for a different request (method, path or body). */
  idempotency_conflict: 422,
  rate_limited: 429,
  internal_error: 500,
  misconfigured: 500,
  unavailable: 503,
  /** The platform or this tenant is locked for maintenance (operator API or the MAINTENANCE var). */
  maintenance: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.headers = headers;
  }
}

/**
 * "Not yours looks like not there": another tenant's (or project's, or user's) resource and a
 * missing one get this same answer, built fresh each time so no instance is shared between requests.
 */
export const notFound = () => new ApiError('not_found', 'Not found');
