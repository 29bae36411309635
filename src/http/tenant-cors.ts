// CORS per tenant: an origin is echoed exactly when it is on the resolved tenant's list, never a
// wildcard, never a pattern. Preflights carry no credentials, so how they learn the tenant depends
// on the host (docs/architecture.md, "CORS"):
//   - {slug}.API_HOST: the tenant the host names; the origin must be on its list.
//   - the shared API host (or any host outside it): no tenant can be known, so the preflight is
//     allowed when some serving tenant lists the origin (bulkhead_auth.origin_is_allowed, which names
//     none). The real request then carries its key, and its response gets Access-Control-Allow-Origin
//     only if the origin is on the resolved tenant's own list: a browser on an origin of tenant B
//     using tenant A's key passes the preflight but cannot read the answer (and a publishable key is
//     refused outright off its tenant's origins, src/http/resolve-tenant.ts).
// Anything else gets no Access-Control-Allow-Origin.
import { createMiddleware } from 'hono/factory';
import { hostClaim } from '../tenancy/host.ts';
import type { TenantDirectory } from '../tenancy/tenant-directory.ts';
import type { AppEnv } from './app-env.ts';

export interface TenantCorsOptions {
  directory: TenantDirectory;
  allowMethods?: readonly string[];
  allowHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

export const tenantCors = (options: TenantCorsOptions) => {
  const { directory } = options;
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
      const settings = c.get('settings');
      const host = hostClaim(c.req.url, settings.API_HOST);
      let allowed = false;
      if (host.kind === 'slug') {
        const tenant = await directory.bySlug(host.slug, settings);
        // A locked tenant's origins still pass: its widget must be able to read the 503 `maintenance`.
        allowed = tenant?.status === 'active' && tenant.allowedOrigins.has(origin);
      } else if (host.kind === 'none') {
        allowed = await directory.anyTenantAllows(origin, settings);
      }
      if (allowed) {
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
