import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './http/app-env.ts';
import { notFound, onError } from './http/on-error.ts';
import { securityHeaders } from './http/security-headers.ts';
import { settings } from './http/settings.ts';
import { healthz } from './routes/healthz.ts';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId(), securityHeaders(), settings());
  app.route('/', healthz);
  app.onError(onError);
  app.notFound(notFound);
  return app;
}
