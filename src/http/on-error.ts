import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SettingsError } from '../config/settings.ts';
import { ApiError } from '../domain/api-error.ts';
import { RegistryError } from '../tenancy/registry.ts';
import type { AppEnv } from './app-env.ts';
import { errorResponse } from './error-envelope.ts';

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  if (error instanceof SettingsError) {
    // The operator needs the setting's name; the message never carries its value.
    console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), message: error.message }));
    return errorResponse(c, new ApiError('misconfigured', error.message));
  }
  if (error instanceof RegistryError) {
    // Paths in the registry's message could name tenants: logged for the operator, not sent.
    console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), message: error.message }));
    return errorResponse(c, new ApiError('misconfigured', 'Tenant registry is invalid'));
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own messages (e.g. "Malformed JSON in request body") are fixed strings, safe to show.
    if (error.status === 413) return errorResponse(c, new ApiError('payload_too_large', 'Payload too large'));
    return errorResponse(
      c,
      new ApiError('bad_request', error.status === 400 && error.message ? error.message : 'Bad request'),
    );
  }
  console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), error: String(error) }));
  return errorResponse(c, new ApiError('internal_error', 'Internal error'));
};
