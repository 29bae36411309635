// Refuses oversized bodies with 413 before anything parses them: by Content-Length up front, or
// by counting a chunked body as it streams. One global cap, applied before authentication so an
// anonymous flood of large bodies costs nothing; documents go straight to object storage.
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../domain/api-error.ts';
import type { AppEnv } from './app-env.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface BodyLimitOptions {
  maxBytes?: number;
}

export const bodyLimit = ({ maxBytes = DEFAULT_MAX_BODY_BYTES }: BodyLimitOptions = {}) => {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', `Request body exceeds ${maxBytes} bytes`);
    },
  });
  return createMiddleware<AppEnv>(async function bodyLimit(c, next) {
    await limit(c, next);
  });
};
