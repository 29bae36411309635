import { Hono } from 'hono';
import type { AppEnv } from './http/app-env.ts';
import { bodyLimit } from './http/body-limit.ts';
import { edgeApiKeys, keyLookupThrottle } from './http/key-lookup-throttle.ts';
import { methodAwareNotFound } from './http/method-not-allowed.ts';
import { onError } from './http/on-error.ts';
import { tenantRateLimit } from './http/rate-limit.ts';
import { requestDeadline } from './http/request-deadline.ts';
import { requestMetrics } from './http/request-metrics.ts';
import {
  edgeKeyStore,
  edgeMemberRoles,
  edgeTenantDirectory,
  type ResolveTenantOptions,
  resolveTenant,
} from './http/resolve-tenant.ts';
import { securityHeaders } from './http/security-headers.ts';
import { serverRequestId } from './http/server-request-id.ts';
import { services } from './http/service-deps.ts';
import { settings } from './http/settings.ts';
import { tenantCors } from './http/tenant-cors.ts';
import { docsPage } from './routes/docs-page.ts';
import { deployTimeMaintenance, healthRoutes } from './routes/healthz.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { operatorRoutes } from './routes/operator/index.ts';
import { v1Routes } from './routes/v1/index.ts';
import { widgetScript } from './routes/widget-script.ts';

export interface AppOptions extends ResolveTenantOptions {
  maxBodyBytes?: number;
  /** The request deadline (TIMEOUTS.requestDeadlineMs by default); the fault tests shorten it. */
  requestDeadlineMs?: number;
  /** More tenant routes, mounted behind the whole chain (the tests mount probe routes here). */
  tenantRoutes?: readonly Hono<AppEnv>[];
}

export function createApp(options: AppOptions = {}) {
  // One tenant directory (the isolate's cache of tenant settings) for CORS and resolution, primed by
  // key lookups; one verifier for the throttle and the resolver: the throttle reads what the isolate
  // knows of a key.
  const directory = edgeTenantDirectory(options);
  const apiKeys = edgeApiKeys({ ...options, keyStore: edgeKeyStore(options, directory) });
  const app = new Hono<AppEnv>();
  app.use(
    serverRequestId(),
    requestMetrics(),
    securityHeaders(),
    requestDeadline({ ms: options.requestDeadlineMs }),
    settings(),
    services(),
  );
  // Public routes go above this line: they answer before any tenant is resolved.
  app.route(
    '/',
    healthRoutes({
      maintenance: (s) => deployTimeMaintenance(s) || directory.peekPlatformMaintenance() === true,
    }),
  );
  app.route('/', widgetScript);
  app.route('/', openApiRoutes(app));
  app.route('/', docsPage);
  // The operator API: its own credential and chain, never a tenant's (src/routes/operator/).
  app.route('/operator/v1', operatorRoutes);
  // Everything registered below, unknown paths included, belongs to exactly one tenant.
  app.use(
    bodyLimit({ maxBytes: options.maxBodyBytes }),
    tenantCors({ directory }),
    keyLookupThrottle({ apiKeys }),
    resolveTenant({ ...options, directory, apiKeys, memberRoles: edgeMemberRoles(options) }),
    tenantRateLimit(),
  );
  for (const routes of options.tenantRoutes ?? []) app.route('/', routes);
  const routed = app.route('/v1', v1Routes);
  app.onError(onError);
  app.notFound(methodAwareNotFound(app));
  return routed;
}

/** Every /v1 route's path, input and output types, for hono/client: `hc<AppType>(origin)` (src/client). */
export type AppType = ReturnType<typeof createApp>;
