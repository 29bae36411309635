// CORS per tenant: an origin is echoed exactly when it is on the resolved tenant's list, never a
// wildcard, never a pattern. Preflights carry no credentials, so they are answered for the tenant
// the host names (widgets call {slug}.API_HOST); anything else gets no Access-Control-Allow-Origin.
import { createMiddleware } from 'hono/factory';
import { hostClaim } from '../tenancy/host.ts';
import { provisionedRegistry } from '../tenancy/provisioned-registry.ts';
import type { TenantRegistry } from '../tenancy/registry.ts';
import type { AppEnv } from './app-env.ts';

export interface TenantCorsOptions {
  registry?: TenantRegistry;
  allowMethods?: readonly string[];
  allowHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

export const tenantCors = (options: TenantCorsOptions = {}) => {
  const registry = options.registry ?? provisionedRegistry();
  const allowMethods = (options.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).join(', ');
  const allowHeaders = (
    options.allowHeaders ?? ['authorization', 'content-type', 'x-api-key', 'idempotency-key', 'x-widget-user']
  ).join(', ');
  // The rate-limit fields (src/http/rate-limit.ts), so that a widget can pace itself.
  const exposeHeaders = (
    options.exposeHeaders ?? [
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ]
  ).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);

  return createMiddleware<AppEnv>(async function tenantCors(c, next) {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method')) {
      const host = hostClaim(c.req.url, c.get('settings').API_HOST);
      const tenant = host.kind === 'slug' ? registry.bySlug(host.slug) : undefined;
      if (tenant?.status === 'active' && tenant.allowedOrigins.has(origin)) {
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Access-Control-Allow-Methods', allowMethods);
        c.header('Access-Control-Allow-Headers', allowHeaders);
        c.header('Access-Control-Max-Age', maxAge);
      }
      return c.body(null, 204);
    }
    await next();
    // Read after the inner chain: set only when resolveTenant succeeded, so refusals stay opaque.
    const allowed = c.get('allowedOrigins') as ReadonlySet<string> | undefined;
    if (origin !== undefined && allowed?.has(origin)) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', exposeHeaders);
    }
  });
};
