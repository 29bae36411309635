import { createApp } from './app.ts';
import { runScheduled } from './scheduled.ts';
import { provisionedRegistry } from './tenancy/provisioned-registry.ts';

export { TenantRateLimiter } from './tenancy/tenant-rate-limiter.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: async (_controller, env, ctx) => ctx.waitUntil(runScheduled(env, provisionedRegistry())),
} satisfies ExportedHandler<Env>;
