// The one error envelope for every failure: { error: { code, message, requestId } }, with the
// status the domain error's code maps to (src/domain/api-error.ts).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ApiError, ERROR_STATUS } from '../domain/api-error.ts';
import type { AppEnv } from './app-env.ts';

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const requestId = c.get('requestId') ?? '';
  const status = ERROR_STATUS[error.code] satisfies ContentfulStatusCode;
  return c.json({ error: { code: error.code, message: error.message, requestId } }, status);
}
