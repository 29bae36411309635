// Test-only: the app's routes use the audited guard in src/routes/v1/guards.ts, not this one.
// A plain guard for the probe routes: the caller's context must carry `scope`, else 403.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import type { Scope } from '../../../src/tenancy/context.ts';

export const requireScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async function requireScope(c, next) {
    if (!c.get('tenant').scopes.has(scope)) throw new ApiError('forbidden', `This credential lacks the ${scope} scope`);
    await next();
  });
