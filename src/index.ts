import { createApp } from './app.ts';

export { TenantRateLimiter } from './tenancy/tenant-rate-limiter.ts';

export default createApp();
