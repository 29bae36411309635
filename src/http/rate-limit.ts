// Per-tenant rate limit from the registry's limits, counted by the tenant's own Durable Object so
// it holds across isolates and one tenant's traffic can never spend another's tokens. Runs after
// authentication: an anonymous caller cannot drain a tenant's bucket by naming its subdomain.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../domain/api-error.ts';
import type { RateVerdict } from '../tenancy/token-bucket.ts';
import type { AppEnv } from './app-env.ts';

export const tenantRateLimit = () =>
  createMiddleware<AppEnv>(async function tenantRateLimit(c, next) {
    const { tenantId, limits } = c.get('tenant');
    let verdict: RateVerdict;
    try {
      const limiter = c.env.TENANT_RATE_LIMITER.getByName(tenantId);
      verdict = await limiter.take({ requestsPerMinute: limits.requestsPerMinute, burst: limits.burst });
    } catch (error) {
      // Fail closed: no limiter, no unmetered traffic.
      console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), error: String(error) }));
      throw new ApiError('unavailable', 'Service temporarily unavailable', { 'Retry-After': '1' });
    }
    if (!verdict.allowed) {
      throw new ApiError('rate_limited', 'Rate limit exceeded for this tenant', {
        'Retry-After': String(verdict.retryAfterSeconds),
      });
    }
    await next();
  });
