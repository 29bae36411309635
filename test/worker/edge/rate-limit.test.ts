// docs/threat-model.md T38 through the whole app: one tenant at 10× its limit gets 429s with Retry-After,
// counted by its own Durable Object across app instances; other tenants see no 429 at all.
import { abortAllDurableObjects } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { createApp } from '../../../src/app.ts';
import { call, demoTenant, tenantUrl } from './harness.ts';

const initech = await demoTenant('initech');
const acme = await demoTenant('acme');
const initechLimits = provisioning.tenants.find((tenant) => tenant.slug === 'initech')?.limits;

beforeEach(() => abortAllDurableObjects());

describe('per-tenant rate limit', () => {
  it('one tenant at 10× its burst gets 429 with Retry-After; another sees none', async () => {
    const burst = initechLimits?.burst ?? 0;
    expect(burst).toBeGreaterThan(0);
    const loud = Array.from({ length: burst * 10 }, () =>
      call('/v1/whoami', { headers: { 'x-api-key': initech.secretKey } }),
    );
    const quiet = Array.from({ length: 30 }, () => call('/v1/whoami', { headers: { 'x-api-key': acme.secretKey } }));
    const [loudAnswers, quietAnswers] = await Promise.all([Promise.all(loud), Promise.all(quiet)]);

    const limited = loudAnswers.filter((res) => res.status === 429);
    expect(loudAnswers.filter((res) => res.status === 200).length).toBeLessThanOrEqual(burst + 1);
    expect(limited.length).toBeGreaterThanOrEqual(burst * 9 - 1);
    for (const res of limited) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
      expect(res.headers.get('ratelimit-limit')).toBe(String(burst));
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    }
    expect(quietAnswers.map((res) => res.status)).toEqual(quietAnswers.map(() => 200));
    // The quiet tenant's numbers are its own bucket's: its burst, less its own requests only.
    const acmeBurst = provisioning.tenants.find((tenant) => tenant.slug === 'acme')?.limits.burst ?? 0;
    for (const res of quietAnswers) {
      expect(res.headers.get('ratelimit-limit')).toBe(String(acmeBurst));
      expect(Number(res.headers.get('ratelimit-remaining'))).toBeGreaterThanOrEqual(acmeBurst - quiet.length);
    }
  });

  it('holds across app instances (isolates) and through the deployed entry point', async () => {
    const burst = initechLimits?.burst ?? 0;
    const apps = [createApp(), createApp()];
    const statuses: number[] = [];
    for (let i = 0; i < burst * 2; i++) {
      const res = await call('/v1/whoami', { headers: { 'x-api-key': initech.secretKey } }, apps[i % 2]);
      statuses.push(res.status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(burst);
    const viaEntry = await exports.default.fetch(
      new Request(tenantUrl('/v1/whoami'), { headers: { 'x-api-key': initech.secretKey } }),
    );
    expect(viaEntry.status).toBe(429);
    const otherTenant = await exports.default.fetch(
      new Request(tenantUrl('/v1/whoami'), { headers: { 'x-api-key': acme.secretKey } }),
    );
    expect(otherTenant.status).toBe(200);
  });
});
