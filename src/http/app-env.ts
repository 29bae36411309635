import type { RequestIdVariables } from 'hono/request-id';
import type { Settings } from '../config/settings.ts';
import type { ServiceDeps } from '../services/service-deps.ts';
import type { TenantContext } from '../tenancy/context.ts';

export interface TenantVariables {
  /** Set only by resolveTenant: the one source of tenant identity downstream. */
  tenant: TenantContext;
  /** The resolved tenant's exact CORS origins. */
  allowedOrigins: ReadonlySet<string>;
}

export interface ServiceVariables {
  /** This request's ServiceDeps, built on first call. Set only by the services middleware. */
  services: () => ServiceDeps;
}

/** The one Hono environment type every router and middleware uses. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & { settings: Settings } & TenantVariables & ServiceVariables;
}
