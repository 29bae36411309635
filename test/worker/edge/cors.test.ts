// docs/threat-model.md T15–T17 through the whole app: exact echo of the resolved tenant's origins, preflights
// answered for the host's tenant, private no-store caching and Vary: Origin on every response.
import { describe, expect, it } from 'vitest';
import { call, demoTenant } from './harness.ts';

const acme = await demoTenant('acme');
const globex = await demoTenant('globex');
const ACME_ORIGIN = 'https://www.acme.example';

const withOrigin = (origin: string, key = acme.secretKey, slug = 'acme') =>
  call('/v1/whoami', { slug, headers: { origin, 'x-api-key': key } });

describe('CORS per tenant', () => {
  it('echoes an allowed origin exactly, with Vary: Origin', async () => {
    for (const origin of [ACME_ORIGIN, 'http://localhost:5173']) {
      const res = await withOrigin(origin);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it.each([
    'https://evil.com',
    'null',
    'https://www.acme.example.evil.com',
    'http://www.acme.example',
    'https://www.acme.example:8443',
    'https://www.acme.example/',
    'https://acme.example',
    '*',
  ])('gives %s no Access-Control-Allow-Origin (docs/threat-model.md T15)', async (origin) => {
    const res = await withOrigin(origin);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("refuses tenant B's widget key from an origin only tenant A allows (docs/threat-model.md T16)", async () => {
    const widget = await withOrigin(ACME_ORIGIN, globex.publishableKey, 'globex');
    expect(widget.status).toBe(403);
    expect(widget.headers.get('access-control-allow-origin')).toBeNull();
    const bareHost = await call('/v1/whoami', { headers: { origin: ACME_ORIGIN, 'x-api-key': globex.publishableKey } });
    expect(bareHost.status).toBe(403);
    expect(bareHost.headers.get('access-control-allow-origin')).toBeNull();
    // Even a secret key of B, from A's origin, gets B's answer without A's origin echoed.
    const server = await withOrigin(ACME_ORIGIN, globex.secretKey, 'globex');
    expect(server.status).toBe(200);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight for the host tenant only', async () => {
    const preflight = (slug: string | undefined, origin: string) =>
      call('/v1/whoami', { slug, method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('acme', ACME_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ACME_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    // The shared host cannot know the tenant: an origin some serving tenant lists passes the
    // preflight (src/http/tenant-cors.ts); the real request's answer is then the tenant's own call.
    expect((await preflight(undefined, ACME_ORIGIN)).headers.get('access-control-allow-origin')).toBe(ACME_ORIGIN);
    for (const [slug, origin] of [
      ['globex', ACME_ORIGIN],
      [undefined, 'https://evil.com'],
      ['acme', 'https://evil.com'],
      ['nobody', ACME_ORIGIN],
    ] as const) {
      const res = await preflight(slug, origin);
      expect(res.status, `${slug} ${origin}`).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), `${slug} ${origin}`).toBeNull();
    }
  });
});

describe('caching (docs/threat-model.md T17)', () => {
  it('every response is private, no-store and varies by Origin: successes, refusals, 404s, health', async () => {
    const responses = await Promise.all([
      withOrigin(ACME_ORIGIN),
      call('/v1/whoami', { slug: 'acme' }),
      call('/v1/whoami', { headers: { 'x-api-key': globex.secretKey }, slug: 'acme' }),
      call('/v1/nothing', { headers: { 'x-api-key': acme.secretKey } }),
      call('/v1/whoami', { slug: 'nobody', headers: { 'x-api-key': acme.secretKey } }),
      call('/v1/whoami', {
        slug: 'acme',
        method: 'OPTIONS',
        headers: { origin: ACME_ORIGIN, 'access-control-request-method': 'GET' },
      }),
      call('/healthz'),
    ]);
    expect(responses.map((res) => res.status)).toEqual([200, 401, 403, 404, 404, 204, 200]);
    for (const res of responses) {
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
