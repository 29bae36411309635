// What a Postgres error means, in one place. Transient ones (the connection or the server, not the
// statement) become one ApiError answered with 503 and Retry-After. Constraint violations are read
// here for the services that turn them into answers (a foreign project → 404, a clashing
// externalId → 409); every other database error passes through and ends as a 500 without SQL text.
import { ApiError } from '../domain/api-error.ts';

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

/** The SQLSTATE and constraint of the first error in the cause chain that carries a SQLSTATE. */
function violation(error: unknown, code: string): { constraint?: string } | undefined {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (sqlState(cause) === code) {
      const constraint = (cause as { constraint?: unknown }).constraint;
      return typeof constraint === 'string' ? { constraint } : {};
    }
  }
  return undefined;
}

/** Postgres refused a row whose (tenant, project) or (tenant, …, parent) reference is not this tenant's. */
export const isForeignKeyViolation = (error: unknown): boolean => violation(error, '23503') !== undefined;

/** The unique constraint a statement violated, if that is why it failed. */
export const violatedUniqueConstraint = (error: unknown): string | undefined => violation(error, '23505')?.constraint;

/** Seconds a caller is asked to wait while a tenant or the platform is locked for maintenance. */
export const MAINTENANCE_RETRY_AFTER_SECONDS = '60';

export const tenantUnavailable = () => new ApiError('forbidden', 'Tenant is not available');
export const underMaintenance = () =>
  new ApiError('maintenance', 'The API is locked for maintenance; retry later.', {
    'Retry-After': MAINTENANCE_RETRY_AFTER_SECONDS,
  });

/**
 * bulkhead_auth.assert_tenant_serving refused the context (drizzle/0007_tenant_registry.sql): the
 * database's own answer to a suspended, deleting or locked tenant, whatever the edge cached.
 */
export function tenantRefusal(error: unknown): ApiError | undefined {
  if (violation(error, 'BH403')) return tenantUnavailable();
  if (violation(error, 'BH503')) return underMaintenance();
  return undefined;
}
