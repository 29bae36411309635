// 405 with `Allow` for a path that exists under other methods; 404 for a path that does not. Built
// from the app's own route table once, when the first unmatched request arrives (after every route
// is mounted), so a new route is covered without a list to keep.
import type { Hono, NotFoundHandler } from 'hono';
import { ApiError, notFound } from '../domain/api-error.ts';
import type { AppEnv } from './app-env.ts';
import { errorResponse } from './error-envelope.ts';

interface RoutePattern {
  pattern: RegExp;
  method: string;
}

// Hono path syntax as this app uses it: literal segments, `:param` segments, a trailing `*`.
function toPattern(path: string): RegExp {
  const segments = path.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}/?$`);
}

export function allowedMethods(routes: readonly RoutePattern[], path: string): string[] {
  const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

export function methodAwareNotFound(app: Hono<AppEnv>): NotFoundHandler<AppEnv> {
  let routes: RoutePattern[] | undefined;
  return (c) => {
    // `use()` middleware registers as ALL; only real handlers say which methods a path answers.
    routes ??= app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ pattern: toPattern(route.path), method: route.method }));
    const allow = allowedMethods(routes, c.req.path);
    if (allow.length === 0) return errorResponse(c, notFound());
    const message = `${c.req.method} is not allowed here; use ${allow.join(', ')}`;
    return errorResponse(c, new ApiError('method_not_allowed', message, { Allow: allow.join(', ') }));
  };
}
