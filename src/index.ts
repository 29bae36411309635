import { createApp } from './app.ts';
import { runScheduled } from './scheduled.ts';

export { TenantRateLimiter } from './tenancy/tenant-rate-limiter.ts';
export { EndUserErasureWorkflow } from './workflows/end-user-erasure-workflow.ts';
export { ExportWorkflow } from './workflows/export-workflow.ts';
export { TenantErasureWorkflow } from './workflows/tenant-erasure-workflow.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: async (_controller, env, ctx) => ctx.waitUntil(runScheduled(env)),
} satisfies ExportedHandler<Env>;
