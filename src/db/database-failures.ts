// Which database errors mean "try again": the connection or the server, not the statement. They
// become one ApiError the HTTP layer answers with 503 and Retry-After. Every other database error
// (a constraint, a policy) passes through unchanged and ends as a 500 without SQL text.
import { ApiError } from '../http/errors.ts';

export const RETRY_AFTER_SECONDS = '2';

// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown,
// terminated backend, statement timeout); serialization failures and deadlocks are retryable too.
const TRANSIENT_CLASSES = ['08', '53', '57'];
const TRANSIENT_CODES = new Set(['40001', '40P01']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isTransientSqlState(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.includes(code.slice(0, 2)));
}

/** The Neon HTTP driver reports network failures and 5xx answers as NeonDbError without a SQLSTATE. */
export function isHttpDriverFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'NeonDbError' && sqlState(error) === undefined;
}

export function databaseUnavailable(cause: unknown): ApiError {
  const error = new ApiError('unavailable', 'The database is unavailable; retry shortly.', {
    'Retry-After': RETRY_AFTER_SECONDS,
  });
  error.cause = cause;
  return error;
}
