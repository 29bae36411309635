import type { RequestIdVariables } from 'hono/request-id';
import type { Settings } from '../config/settings.ts';
import type { TenantVariables } from './resolve-tenant.ts';

/** The one Hono environment type every router and middleware uses. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & { settings: Settings } & TenantVariables;
}
