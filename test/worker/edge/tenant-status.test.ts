// docs/threat-model.md T13 and T14: a suspended or deleting tenant is refused on every route with valid
// credentials; a feature flag the registry does not know reads as off.
import { describe, expect, it } from 'vitest';
import { buildTenantContext, isFeatureOn } from '../../../src/tenancy/build-context.ts';
import { provisionedRegistry } from '../helpers/provisioned-registry.ts';
import { call, demoTenant, outcome, type Slug } from './harness.ts';

describe.each(['umbrella', 'hooli'] as Slug[])('%s (not active)', async (slug) => {
  const tenant = await demoTenant(slug);
  const forbidden = { status: 403, code: 'forbidden', message: 'Tenant is not available' };
  const attempts: Array<[string, Parameters<typeof call>[1]]> = [
    ['secret key', { headers: { 'x-api-key': tenant.secretKey } }],
    ['secret key on its subdomain', { slug, headers: { authorization: `Bearer ${tenant.secretKey}` } }],
    ['publishable key from its origin', { headers: { 'x-api-key': tenant.publishableKey, origin: tenant.origin } }],
    ['development header', { headers: { 'x-tenant-id': tenant.id }, bindings: { ENVIRONMENT: 'development' } }],
  ];

  for (const path of ['/v1/whoami', '/v1/documents', '/anything']) {
    // docs/threat-model.md T44: without credentials the answer is the same 401 for an active, a
    // suspended, a deleting and an unknown subdomain; only a credential learns the status.
    it(`${path} on its subdomain without credentials → 401, as for an active or unknown tenant`, async () => {
      const unauthorized = await outcome(await call(path, { slug }));
      expect(unauthorized).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(await outcome(await call(path, { slug: 'acme' }))).toEqual(unauthorized);
      expect(await outcome(await call(path, { slug: 'nobody' }))).toEqual(unauthorized);
    });

    it.each(attempts)(`${path} with %s → 403`, async (_, request) => {
      expect(await outcome(await call(path, request))).toEqual(forbidden);
      expect(await outcome(await call(path, { ...request, method: 'POST', body: '{}' }))).toEqual(forbidden);
    });
  }

  it('answers a preflight without Access-Control-Allow-Origin', async () => {
    const headers = { origin: tenant.origin, 'access-control-request-method': 'POST' };
    const res = await call('/v1/whoami', { slug, method: 'OPTIONS', headers });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('feature flags (docs/threat-model.md T14)', () => {
  it('an unknown flag is off, whatever its name', () => {
    const acme = provisionedRegistry().bySlug('acme');
    if (!acme) throw new Error('demo tenant acme missing');
    const context = buildTenantContext(acme, { developmentHeader: true });
    if (!context) throw new Error('no context');
    expect(isFeatureOn(context, 'chat')).toBe(true);
    expect(isFeatureOn(context, 'streaming')).toBe(true);
    expect(isFeatureOn(context, 'uploads')).toBe(true);
    const globex = provisionedRegistry().bySlug('globex');
    if (!globex) throw new Error('demo tenant globex missing');
    const unset = buildTenantContext(globex, { developmentHeader: true });
    expect(unset && isFeatureOn(unset, 'citations')).toBe(false); // a known flag left unset is off
    for (const unknown of ['beta-everything', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(isFeatureOn(context, unknown), unknown).toBe(false);
      expect(Boolean(context.features[unknown]), unknown).toBe(false);
    }
  });
});
