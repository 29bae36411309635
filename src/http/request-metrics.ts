// Per-tenant observability (issue 13 §5): every request, once its status is known, becomes one
// Workers Analytics Engine data point (binding REQUEST_METRICS, dataset bulkhead_requests) and one
// structured JSON log line. Both carry only what identifies the traffic, never the caller: tenant,
// project, route pattern, method, status, latency. No IP, no key, no Origin, no query string, no
// concrete path (ids live there), no principal id (it can be a widget user's), no body.
//
// Data point layout (keep in step with any query against bulkhead_requests):
//   index1   tenant id, or '-' for a request no tenant was resolved for (401, unknown host,
//            /healthz). Analytics Engine samples per index, so each tenant is sampled on its own
//            and unresolved traffic, however heavy, never crowds a tenant's samples out.
//   blob1    route pattern, e.g. '/v1/documents/:id'; '*' when no route matched (404, 405)
//   blob2    method (GET, POST, …; 'OTHER' for anything non-standard)
//   blob3    project id when the principal reaches exactly one project, else ''
//   blob4    principal kind (publishable_key, secret_key, user, development, anonymous), else ''
//   double1  status
//   double2  latency in ms, from the first middleware to the response being known
//
// The middleware sits right after serverRequestId, outside everything that can answer or throw:
// Hono's compose hands an error to onError at the throwing handler's own level, so by the time
// `await next()` returns here c.res already is the error envelope with its status.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { TenantContext } from '../tenancy/context.ts';
import type { AppEnv } from './app-env.ts';

/** What one request is recorded as: the only fields that reach the data point and the log line. */
export interface RequestRecord {
  requestId: string;
  tenantId: string | null;
  projectId: string | null;
  route: string;
  method: string;
  status: number;
  ms: number;
}

/** The index of a request no tenant was resolved for. */
export const NO_TENANT_INDEX = '-';
/** The route of a request that matched no route, only the catch-all tenant chain. */
export const NO_ROUTE = '*';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A request method as recorded: a standard one as is, anything else (a client's choice) as 'OTHER'. */
export function recordedMethod(method: string): string {
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : 'OTHER';
}

/**
 * The project a request is recorded under: the principal's one project when it reaches exactly
 * one (a widget key, a single-project token), else none. Cheap and never wrong: a tenant-wide
 * principal's request is not attributed to a project it merely named.
 */
export function recordedProject(tenant: Pick<TenantContext, 'projectIds'> | undefined): string | null {
  if (!tenant || tenant.projectIds === 'all' || tenant.projectIds.length !== 1) return null;
  return tenant.projectIds[0] ?? null;
}

/** The Analytics Engine data point of one request (layout in this file's header). Pure. */
export function requestDataPoint(record: RequestRecord, principalKind: string | null = null): AnalyticsEngineDataPoint {
  return {
    indexes: [record.tenantId ?? NO_TENANT_INDEX],
    blobs: [record.route, record.method, record.projectId ?? '', principalKind ?? ''],
    doubles: [record.status, record.ms],
  };
}

/** The one structured log line of one request. Pure. */
export function requestLogLine(record: RequestRecord): string {
  const { requestId, tenantId, projectId, route, method, status, ms } = record;
  return JSON.stringify({ level: 'info', event: 'request', requestId, tenantId, projectId, route, method, status, ms });
}

type RouteEntry = { method: string; path: string };

/**
 * The pattern of the route the request matched: the last matched entry registered for a method
 * (middleware is registered for ALL). Not `c.req.routePath` alone: that is the pattern of whichever
 * handler ran last, '*' for a 401 answered by resolveTenant on a real route, and a later '*'
 * middleware would shadow /healthz if one took the last match.
 */
export function matchedRoutePattern(routes: readonly RouteEntry[]): string {
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i] as RouteEntry;
    if (route.method !== 'ALL') return route.path;
  }
  return NO_ROUTE;
}

export const requestMetrics = () =>
  createMiddleware<AppEnv>(async function requestMetrics(c, next) {
    const started = Date.now();
    let threw = true;
    try {
      await next();
      threw = false;
    } finally {
      record(c, started, threw);
    }
  });

/** Logs and writes one request. Never throws: metrics are best effort, the response stands. */
function record(c: Context<AppEnv>, started: number, threw: boolean): void {
  let tenant: TenantContext | undefined;
  let entry: RequestRecord;
  try {
    tenant = c.get('tenant') as TenantContext | undefined;
    entry = {
      requestId: c.get('requestId'),
      tenantId: tenant?.tenantId ?? null,
      projectId: recordedProject(tenant),
      route: matchedRoutePattern(matchedRoutes(c)),
      method: recordedMethod(c.req.method),
      // Only when onError itself threw: the runtime then answers 500.
      status: threw ? 500 : c.res.status,
      // Workers clocks advance on I/O only: this is time spent waiting, CPU time is not in it.
      ms: Date.now() - started,
    };
  } catch {
    return;
  }
  try {
    console.log(requestLogLine(entry));
  } catch {
    // A log sink that throws costs the line, not the data point.
  }
  try {
    c.env?.REQUEST_METRICS?.writeDataPoint(requestDataPoint(entry, tenant?.principal.kind ?? null));
  } catch {
    // A binding that throws (quota, misconfiguration) costs the data point, not the request.
  }
}
