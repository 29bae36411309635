import type { Settings } from '../config/settings.ts';

/** The one Hono environment type every router and middleware uses. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    settings: Settings;
  };
}
