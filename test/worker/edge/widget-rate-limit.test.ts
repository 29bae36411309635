// T42 through the whole app: the publishable (widget) key has its own bucket, half the tenant's
// limits, and every client address a bucket under it, a quarter of the widget's. A public key can
// exhaust only its own allowance: the tenant's secret key keeps answering while the widget key is
// at its limit, and one client address at its limit leaves other addresses' widget traffic alone.
import { abortAllDurableObjects } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { call, demoTenant, type ErrorBody } from './harness.ts';

const acme = await demoTenant('acme');
const limits = provisioning.tenants.find((tenant) => tenant.slug === 'acme')?.limits ?? { burst: 0 };
// The documented shares (README "Rate limits"): widget = ⌈tenant / 2⌉, one client = ⌈widget / 4⌉.
const widgetBurst = Math.ceil(limits.burst / 2);
const clientBurst = Math.ceil(widgetBurst / 4);
// Tokens that can come back while a loop runs (acme refills a token every 100 ms; a client every 800 ms).
const SLACK = 3;

const widget = (ip?: string) =>
  call('/v1/whoami', {
    headers: { 'x-api-key': acme.publishableKey, origin: acme.origin, ...(ip && { 'cf-connecting-ip': ip }) },
  });
const server = () => call('/v1/whoami', { headers: { 'x-api-key': acme.secretKey, 'cf-connecting-ip': '192.0.2.1' } });
/** A different address for every i: 10.0.x.y. */
const address = (i: number) => `10.0.${i >> 8}.${i & 255}`;

async function untilLimited(next: (i: number) => Promise<Response>, max: number) {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await next(i);
    statuses.push(res.status);
    if (res.status === 429) return { statuses, limited: res };
    await res.body?.cancel();
  }
  throw new Error(`no 429 within ${max} requests`);
}

beforeEach(() => abortAllDurableObjects());

describe('widget keys spend only their own budget (T42)', () => {
  it('a widget key at its limit gets 429s while the tenant’s secret key still answers', async () => {
    expect(widgetBurst).toBeGreaterThan(clientBurst);
    // Every request from a fresh address: no client bucket is ever the one that refuses.
    const { statuses, limited } = await untilLimited((i) => widget(address(i)), limits.burst * 3);
    expect(limited.status).toBe(429);
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(widgetBurst);
    expect(admitted).toBeLessThanOrEqual(widgetBurst + SLACK);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as ErrorBody).error.code).toBe('rate_limited');

    // At the same moment: the widget key is still refused (but for a token that came back in
    // between), the secret key is not.
    const again = Array.from({ length: 10 }, (_, i) => widget(address(4000 + i)));
    const secret = Array.from({ length: 10 }, () => server());
    const [widgetAnswers, secretAnswers] = await Promise.all([Promise.all(again), Promise.all(secret)]);
    expect(widgetAnswers.filter((res) => res.status === 429).length).toBeGreaterThanOrEqual(10 - SLACK);
    expect(secretAnswers.map((res) => res.status)).toEqual(secretAnswers.map(() => 200));
  });

  it('one client address at its limit does not block another address’s widget traffic', async () => {
    const flood = [];
    for (let i = 0; i < clientBurst * 4; i++) flood.push((await widget('203.0.113.7')).status);
    const admitted = flood.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(clientBurst);
    expect(admitted).toBeLessThanOrEqual(clientBurst + 1);
    expect(flood.at(-1)).toBe(429);

    // The flooding address's refused requests did not spend the widget budget: every other
    // address still has what the widget key has left after that one address's own allowance.
    const others = [];
    for (let i = 0; i < widgetBurst - clientBurst; i++) others.push((await widget(address(i))).status);
    expect(others).toEqual(others.map(() => 200));
    expect((await server()).status).toBe(200);
  });

  it('an IPv6 client is one /64: addresses inside it share a bucket, the next /64 does not', async () => {
    const inside = [];
    for (let i = 0; i < clientBurst * 2; i++)
      inside.push((await widget(`2001:db8:1:2::${(i + 1).toString(16)}`)).status);
    expect(inside.filter((status) => status === 200).length).toBeLessThanOrEqual(clientBurst + 1);
    expect(inside.at(-1)).toBe(429);
    expect((await widget('2001:db8:1:3::1')).status).toBe(200);
  });

  it('without CF-Connecting-IP (the request did not come through the edge) only the widget bucket applies', async () => {
    const { statuses, limited } = await untilLimited(() => widget(), limits.burst * 3);
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(widgetBurst);
    expect(admitted).toBeLessThanOrEqual(widgetBurst + SLACK);
    expect(((await limited.json()) as ErrorBody).error.message).toBe(
      "Rate limit exceeded for this tenant's publishable keys",
    );
    expect((await server()).status).toBe(200);
  });
});
