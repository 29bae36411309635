// Per-tenant rate limit from the registry's limits, counted by Durable Objects so it holds across
// isolates and one tenant's traffic can never spend another's tokens. Runs after authentication:
// an anonymous caller cannot drain a tenant's bucket by naming its subdomain.
//
// Two budgets per tenant (README "Rate limits", threat model T42):
//   - the tenant's bucket (object `tenantId`), the registry's `requestsPerMinute` and `burst`, for
//     secret keys, end-user tokens without a key and the development header;
//   - the widget bucket (object `${tenantId}:publishable`), WIDGET_SHARE of those limits, shared by
//     every request that presents one of the tenant's publishable keys (with or without an end-user
//     token): the key is in every page's source and `Origin` is forgeable outside browsers, so it
//     can spend only this share and never the tenant's own bucket. Under it, every client address
//     (CF-Connecting-IP, IPv6 by /64; src/http/client-address.ts) has CLIENT_SHARE of the widget's
//     limits, so one client cannot spend the whole widget budget either. A request the client's
//     bucket refuses spends nothing from the widget bucket. Without a client address (the request
//     did not come through the edge) only the widget bucket applies.
// The two are separate, so secret-key and widget traffic together can reach 1.5× the registry's
// limits; each alone stays within its own.
//
// Every answer that passed the limit, and its 429, carries the three fields of
// draft-ietf-httpapi-ratelimit-headers for the bucket that decided: RateLimit-Limit (its burst),
// RateLimit-Remaining (whole tokens left) and RateLimit-Reset (seconds until it is full again, the
// moment the whole Limit is back; Retry-After on a 429 is the sooner moment one token is). A
// widget request reports the widget bucket or its client's, whichever has fewer tokens left, as
// the draft asks of several windows. The numbers describe only the caller's own bucket.
//
// A 429 is an access.denied row `{ reason: 'rate_limited', bucket }`, sampled (src/http/audit-denial.ts):
// a flood costs one row per principal and bucket per 10 s per isolate, not one per refusal.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../domain/api-error.ts';
import { parseApiKey } from '../tenancy/api-key-format.ts';
import { type BucketLimits, type RateVerdict, shareOf } from '../tenancy/token-bucket.ts';
import type { AppEnv } from './app-env.ts';
import { auditDenial } from './audit-denial.ts';
import { clientAddress } from './client-address.ts';
import { readCredentials } from './credentials.ts';

/** The widget (publishable) keys' share of the tenant's limits, rounded up. */
export const WIDGET_SHARE = 1 / 2;
/** One client address's share of the widget's limits, rounded up. */
export const CLIENT_SHARE = 1 / 4;

/** The object that holds a tenant's widget bucket and its client buckets. */
export const widgetLimiterName = (tenantId: string) => `${tenantId}:publishable`;

/** The bucket that refused: the tenant's, the widget's, or a client's under the widget's. */
export type RateLimitBucket = 'tenant' | 'widget' | 'client';

const REFUSALS: Record<RateLimitBucket, string> = {
  tenant: 'Rate limit exceeded for this tenant',
  widget: "Rate limit exceeded for this tenant's publishable keys",
  client: "Rate limit exceeded for this client on this tenant's publishable keys",
};

/** The audit row's target: no route was matched yet. */
const AT_RATE_LIMIT = { route: 'rate limit', sampled: true };

export const tenantRateLimit = () =>
  createMiddleware<AppEnv>(async function tenantRateLimit(c, next) {
    const ctx = c.get('tenant');
    const { tenantId, limits } = ctx;
    const tenantLimits: BucketLimits = { requestsPerMinute: limits.requestsPerMinute, burst: limits.burst };
    let verdict: RateVerdict;
    let bucket: RateLimitBucket = 'tenant';
    try {
      if (presentsPublishableKey(c)) {
        const limiter = c.env.TENANT_RATE_LIMITER.getByName(widgetLimiterName(tenantId));
        const widget = shareOf(tenantLimits, WIDGET_SHARE);
        const client = clientAddress(c.req.raw.headers);
        if (client === undefined) {
          verdict = await limiter.take(widget);
          bucket = 'widget';
        } else {
          const nested = await limiter.takeWithin(widget, { id: client, limits: shareOf(widget, CLIENT_SHARE) });
          verdict = nested;
          bucket = nested.refusedBy === 'client' ? 'client' : 'widget';
        }
      } else {
        verdict = await c.env.TENANT_RATE_LIMITER.getByName(tenantId).take(tenantLimits);
      }
    } catch (error) {
      // Fail closed: no limiter, no unmetered traffic.
      console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), error: String(error) }));
      throw new ApiError('unavailable', 'Service temporarily unavailable', { 'Retry-After': '1' });
    }
    const headers = rateLimitHeaders(verdict);
    if (!verdict.allowed) {
      // The tenant is known and the limiter has run: filed under this tenant, sampled.
      await auditDenial(c, ctx, { reason: 'rate_limited', bucket }, AT_RATE_LIMIT);
      throw new ApiError('rate_limited', REFUSALS[bucket], {
        'Retry-After': String(verdict.retryAfterSeconds),
        ...headers,
      });
    }
    await next();
    // After the inner chain, so that every answer gets them: the route's, its errors', a 404's.
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  });

/** RateLimit-Limit, -Remaining and -Reset (draft-ietf-httpapi-ratelimit-headers) of one bucket. */
export function rateLimitHeaders(verdict: RateVerdict): Record<string, string> {
  return {
    'RateLimit-Limit': String(verdict.capacity),
    'RateLimit-Remaining': String(verdict.remaining),
    'RateLimit-Reset': String(verdict.resetSeconds),
  };
}

/** The request's key, already verified by resolveTenant, is a publishable one. */
function presentsPublishableKey(c: Context<AppEnv>): boolean {
  if (c.get('tenant').principal.kind === 'publishable_key') return true;
  const { apiKey } = readCredentials(c.req.raw.headers, false);
  return apiKey !== undefined && parseApiKey(apiKey)?.kind === 'publishable';
}
