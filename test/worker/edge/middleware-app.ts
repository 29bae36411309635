// A bare Hono app around one middleware under test, with the real error handlers and settings,
// for the tests beside each middleware in src/http/.
import { env } from 'cloudflare:workers';
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { methodAwareNotFound } from '../../../src/http/method-not-allowed.ts';
import { onError } from '../../../src/http/on-error.ts';
import { serverRequestId } from '../../../src/http/server-request-id.ts';
import { settings } from '../../../src/http/settings.ts';

export function appWith(...middleware: MiddlewareHandler<AppEnv>[]) {
  const app = new Hono<AppEnv>();
  app.use(serverRequestId(), settings(), ...middleware);
  app.onError(onError);
  app.notFound(methodAwareNotFound(app));
  return app;
}

export function send(app: Hono<AppEnv>, url: string, init: RequestInit = {}, bindings: Partial<Env> = {}) {
  const absolute = url.startsWith('http') ? url : `https://${env.API_HOST}${url}`;
  return Promise.resolve(app.request(absolute, init, { ...env, ...bindings }));
}
