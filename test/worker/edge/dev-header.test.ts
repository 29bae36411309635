// docs/threat-model.md T10 and T40: `x-tenant-id` exists only when ENVIRONMENT=development. In production (and in
// test) every request answers exactly as it would without the header, whatever it names.
import { describe, expect, it } from 'vitest';
import { ALL_TENANT_IDS, call, demoTenant, outcome } from './harness.ts';

const acme = await demoTenant('acme');
const globex = await demoTenant('globex');

const requests: Array<{ name: string; slug?: string; headers: Record<string, string> }> = [
  { name: 'no credentials, bare host', slug: undefined, headers: {} },
  { name: 'acme subdomain only', slug: 'acme', headers: {} },
  { name: 'acme key', slug: undefined, headers: { 'x-api-key': acme.secretKey } },
  { name: 'acme key on acme subdomain', slug: 'acme', headers: { 'x-api-key': acme.secretKey } },
];
const headerValues = [...ALL_TENANT_IDS, 'not-a-uuid', ''];

async function answer(slug: string | undefined, headers: Record<string, string>, ENVIRONMENT: string) {
  const res = await call('/v1/whoami', { slug, headers, bindings: { ENVIRONMENT } });
  const body = res.status === 200 ? await res.json() : await outcome(res);
  return { status: res.status, body };
}

describe('x-tenant-id outside development', () => {
  for (const environment of ['production', 'test']) {
    it(`changes nothing in ${environment}, for any value`, async () => {
      for (const request of requests) {
        const without = await answer(request.slug, request.headers, environment);
        for (const value of headerValues) {
          const withHeader = await answer(request.slug, { ...request.headers, 'x-tenant-id': value }, environment);
          expect(withHeader, `${request.name} + x-tenant-id=${value}`).toEqual(without);
        }
      }
    });
  }

  it('alone never resolves a tenant in production: 401', async () => {
    const res = await call('/v1/whoami', {
      headers: { 'x-tenant-id': acme.id },
      bindings: { ENVIRONMENT: 'production' },
    });
    expect(await outcome(res)).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});

describe('x-tenant-id in development', () => {
  it('resolves the named tenant with a development principal', async () => {
    const res = await call('/v1/whoami', {
      headers: { 'x-tenant-id': globex.id },
      bindings: { ENVIRONMENT: 'development' },
    });
    expect(await res.json()).toMatchObject({ tenantId: globex.id, principal: { kind: 'development' } });
  });

  it('grants only the development role: content scopes, never admin', async () => {
    const res = await call('/v1/whoami', {
      headers: { 'x-tenant-id': globex.id },
      bindings: { ENVIRONMENT: 'development' },
    });
    const { scopes } = (await res.json()) as { scopes: string[] };
    expect(scopes.sort()).toEqual(['chat', 'documents:read', 'documents:write', 'retrieval']);
  });

  it('must agree with a key like any other source', async () => {
    const headers = { 'x-tenant-id': globex.id, 'x-api-key': acme.secretKey };
    const res = await call('/v1/whoami', { headers, bindings: { ENVIRONMENT: 'development' } });
    expect(res.status).toBe(403);
  });
});
