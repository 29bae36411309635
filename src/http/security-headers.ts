import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.ts';

/** Headers on every response, errors and 404s included: nothing tenant-specific is ever cached. */
export const securityHeaders = () =>
  createMiddleware<AppEnv>(async function securityHeaders(c, next) {
    await next();
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Origin', { append: true });
    c.header('X-Content-Type-Options', 'nosniff');
  });
