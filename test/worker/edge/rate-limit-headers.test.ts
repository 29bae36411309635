// docs/threat-model.md T38 and T42, what callers are told: every answer that passed the rate limit
// carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (the three fields of
// draft-ietf-httpapi-ratelimit-headers) from the bucket that decided, and so does its 429, next to
// Retry-After. Limit is the bucket's burst, Remaining its whole tokens left, Reset the seconds
// until it is full again. The numbers are those of the caller's own bucket only: another tenant's
// traffic never shows in them.
import { abortAllDurableObjects } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { call, demoTenant, type ErrorBody } from './harness.ts';

const initech = await demoTenant('initech');
const acme = await demoTenant('acme');
const limitsOf = (slug: string) => {
  const limits = provisioning.tenants.find((tenant) => tenant.slug === slug)?.limits;
  if (!limits) throw new Error(`no limits for ${slug}`);
  return limits;
};
const initechLimits = limitsOf('initech');
const acmeLimits = limitsOf('acme');
// The documented shares (README "Rate limits"): widget = ⌈tenant / 2⌉, one client = ⌈widget / 4⌉.
const widgetBurst = Math.ceil(acmeLimits.burst / 2);
const clientBurst = Math.ceil(widgetBurst / 4);

const secret = (key: string) => call('/v1/whoami', { headers: { 'x-api-key': key } });
const widget = (ip?: string) =>
  call('/v1/whoami', {
    headers: { 'x-api-key': acme.publishableKey, origin: acme.origin, ...(ip && { 'cf-connecting-ip': ip }) },
  });
/** A different address for every i: 10.1.x.y. */
const address = (i: number) => `10.1.${i >> 8}.${i & 255}`;

/** The three fields as numbers (NaN when absent). */
function rateLimitOf(res: Response) {
  return {
    limit: Number(res.headers.get('ratelimit-limit') ?? Number.NaN),
    remaining: Number(res.headers.get('ratelimit-remaining') ?? Number.NaN),
    reset: Number(res.headers.get('ratelimit-reset') ?? Number.NaN),
  };
}

beforeEach(() => abortAllDurableObjects());

describe('RateLimit headers', () => {
  it("come from the tenant's bucket on every admitted answer, Remaining falling, and on the 429 with Retry-After", async () => {
    const { burst, requestsPerMinute } = initechLimits;
    const secondsPerToken = 60 / requestsPerMinute;
    const seen = [];
    for (let i = 0; i < burst; i++) {
      const res = await secret(initech.secretKey);
      expect(res.status).toBe(200);
      seen.push(rateLimitOf(res));
    }
    expect(seen.map((h) => h.limit)).toEqual(seen.map(() => burst));
    expect(seen.map((h) => h.remaining)).toEqual(seen.map((_, i) => burst - 1 - i));
    for (const { remaining, reset } of seen) {
      // The seconds until the bucket is full again (the tokens missing, refilled at
      // requestsPerMinute), less what came back while the loop ran: not just until one more token.
      expect(reset).toBeLessThanOrEqual((burst - remaining) * secondsPerToken);
      expect(reset).toBeGreaterThan((burst - remaining - 1) * secondsPerToken);
    }

    const limited = await secret(initech.secretKey);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as ErrorBody).error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    const headers = rateLimitOf(limited);
    expect(headers).toMatchObject({ limit: burst, remaining: 0 });
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Retry-After is when one token is back; Reset when the whole burst is.
    expect(headers.reset).toBeGreaterThanOrEqual(retryAfter);
    expect(headers.reset).toBeGreaterThan((burst - 1) * secondsPerToken);
  });

  it('are on answers the route refuses after the limit (404), not on refusals before it (401)', async () => {
    const missing = await call('/v1/no-such-route', { headers: { 'x-api-key': acme.secretKey } });
    expect(missing.status).toBe(404);
    expect(rateLimitOf(missing)).toMatchObject({ limit: acmeLimits.burst, remaining: acmeLimits.burst - 1 });

    const anonymous = await call('/v1/whoami', { slug: 'acme' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('ratelimit-limit')).toBeNull();
    expect(anonymous.headers.get('ratelimit-remaining')).toBeNull();
  });

  it("a secret key's reflect the tenant bucket, a widget key's the widget bucket, or its client's when that is tighter", async () => {
    expect(rateLimitOf(await secret(acme.secretKey))).toMatchObject({
      limit: acmeLimits.burst,
      remaining: acmeLimits.burst - 1,
    });
    // Without a client address only the widget bucket applies.
    expect(rateLimitOf(await widget())).toMatchObject({ limit: widgetBurst, remaining: widgetBurst - 1 });
    // With one, its client bucket (a quarter of the widget's) has fewer tokens left: that one is shown.
    expect(rateLimitOf(await widget('192.0.2.10'))).toMatchObject({ limit: clientBurst, remaining: clientBurst - 1 });
    // The widget traffic spent nothing of the tenant's bucket (one token back at most, at 10 a second).
    const again = rateLimitOf(await secret(acme.secretKey));
    expect(again.limit).toBe(acmeLimits.burst);
    expect(again.remaining).toBeGreaterThanOrEqual(acmeLimits.burst - 2);

    // From fresh addresses every client bucket is full: once the widget bucket has fewer tokens
    // left than a fresh client's, it is the tighter one and its numbers are shown.
    let widgetShown: ReturnType<typeof rateLimitOf> | undefined;
    for (let i = 0; i < widgetBurst && !widgetShown; i++) {
      const headers = rateLimitOf(await widget(address(i)));
      if (headers.limit === widgetBurst) widgetShown = headers;
      else expect(headers).toMatchObject({ limit: clientBurst, remaining: clientBurst - 1 });
    }
    expect(widgetShown?.remaining).toBeLessThanOrEqual(clientBurst - 1);
  });

  it('the 429 of a widget key names the bucket that refused: the client’s, or the widget’s', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < clientBurst * 3 && !limited; i++) {
      const res = await widget('198.51.100.20');
      if (res.status === 429) limited = res;
    }
    expect(limited && rateLimitOf(limited)).toMatchObject({ limit: clientBurst, remaining: 0 });

    limited = undefined;
    for (let i = 0; i < acmeLimits.burst && !limited; i++) {
      const res = await widget(address(1000 + i));
      if (res.status === 429) limited = res;
    }
    expect(limited && rateLimitOf(limited)).toMatchObject({ limit: widgetBurst, remaining: 0 });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it("never reveal another tenant's bucket: B's numbers are the same before and after A's flood", async () => {
    const before = rateLimitOf(await secret(acme.secretKey));
    const flood = await Promise.all(Array.from({ length: initechLimits.burst * 10 }, () => secret(initech.secretKey)));
    expect(flood.filter((res) => res.status === 429).length).toBeGreaterThan(0);
    for (const res of flood) expect(rateLimitOf(res).limit).toBe(initechLimits.burst);

    const after = rateLimitOf(await secret(acme.secretKey));
    expect(before).toMatchObject({ limit: acmeLimits.burst, remaining: acmeLimits.burst - 1 });
    // B's own one request less, give or take the token that came back meanwhile; none of A's.
    expect(after.limit).toBe(acmeLimits.burst);
    expect(after.remaining).toBeGreaterThanOrEqual(acmeLimits.burst - 2);
    expect(after.reset).toBeLessThanOrEqual(before.reset + 1);
  });

  it('are exposed to browser widgets through CORS', async () => {
    const res = await widget('192.0.2.30');
    expect(res.headers.get('access-control-allow-origin')).toBe(acme.origin);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']),
    );
  });
});
