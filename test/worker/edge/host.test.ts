// docs/threat-model.md T12: the host decides a tenant only through the URL's own host name, normalised.
// Case, a trailing dot and a port change nothing; X-Forwarded-Host and the Host header are never
// read; an unknown or look-alike subdomain gets the generic not-found answer.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, demoTenant, outcome } from './harness.ts';

const acme = await demoTenant('acme');
const globex = await demoTenant('globex');
const host = env.API_HOST;
const whoami = (url: string, headers: Record<string, string> = {}) => call('/v1/whoami', { url, headers });

describe('host header games', () => {
  it.each([
    ['upper case', `https://ACME.${host.toUpperCase()}/v1/whoami`],
    ['trailing dot', `https://acme.${host}./v1/whoami`],
    ['port', `https://acme.${host}:8443/v1/whoami`],
    ['all three', `http://Acme.${host}.:8787/v1/whoami`],
  ])('%s still means acme and nothing else', async (_, url) => {
    const res = await whoami(url, { 'x-api-key': acme.secretKey });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tenantId: string }).tenantId).toBe(acme.id);
    // Same host, another tenant's key: refused, not switched.
    expect((await whoami(url, { 'x-api-key': globex.secretKey })).status).toBe(403);
  });

  it('ignores X-Forwarded-Host and a Host header naming another tenant', async () => {
    const headers = { 'x-api-key': acme.secretKey, 'x-forwarded-host': `globex.${host}`, host: `globex.${host}` };
    const res = await whoami(`https://acme.${host}/v1/whoami`, headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tenantId: string }).tenantId).toBe(acme.id);
    const bare = await whoami(`https://${host}/v1/whoami`, { 'x-forwarded-host': `acme.${host}` });
    expect(bare.status).toBe(401);
  });

  const notFound = { status: 404, code: 'not_found', message: 'Not found' };
  // Without credentials a well-formed unknown subdomain answers like any tenant's (401,
  // docs/threat-model.md T44); a host that is not a slug at all is a place that does not exist.
  it.each([
    ['unknown subdomain', `https://nobody.${host}/v1/whoami`, 401],
    ['punycode look-alike of acme', `https://xn--acm-2na.${host}/v1/whoami`, 404],
    ['unicode look-alike (Cyrillic а)', `https://\u0430cme.${host}/v1/whoami`, 404],
    ['nested subdomain', `https://www.acme.${host}/v1/whoami`, 404],
  ])('%s → the generic not-found answer with a valid key', async (_, url, anonymous) => {
    expect((await whoami(url)).status).toBe(anonymous);
    expect(await outcome(await whoami(url, { 'x-api-key': acme.secretKey }))).toEqual(notFound);
    // Exactly what a missing route answers.
    expect(
      await outcome(await whoami(`https://acme.${host}/v1/nothing-here`, { 'x-api-key': acme.secretKey })),
    ).toEqual(notFound);
  });

  it('a host that merely ends like the API host is no subdomain of it', async () => {
    const res = await whoami(`https://acme.${host}.evil.example/v1/whoami`, { 'x-api-key': globex.secretKey });
    expect(((await res.json()) as { tenantId: string }).tenantId).toBe(globex.id);
    const suffix = await whoami(`https://evilacme${host}/v1/whoami`);
    expect(suffix.status).toBe(401);
  });
});
