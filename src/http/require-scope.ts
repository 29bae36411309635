// Route guard: the caller's context must carry `scope` (a widget key calling ingest gets 403).
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../domain/api-error.ts';
import type { Scope } from '../tenancy/context.ts';
import type { AppEnv } from './app-env.ts';

export const requireScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async function requireScope(c, next) {
    if (!c.get('tenant').scopes.has(scope)) throw new ApiError('forbidden', `This credential lacks the ${scope} scope`);
    await next();
  });
