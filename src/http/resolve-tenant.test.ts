// resolveTenant alone, over a registry made here with freshly minted keys (no demo data).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { inMemoryKeyStore } from '../../test/worker/helpers/in-memory-key-store.ts';
import { mintApiKey } from '../tenancy/api-key-format.ts';
import { createTenantRegistry } from '../tenancy/registry.ts';
import { resolveTenant } from './resolve-tenant.ts';

const ONE = '10000000-0000-4000-8000-000000000001';
const TWO = '10000000-0000-4000-8000-000000000002';
const PROJECT = '10000000-0000-4000-8000-0000000000aa';
const [oneSecret, onePublishable, twoSecret] = await Promise.all([
  mintApiKey('secret'),
  mintApiKey('publishable'),
  mintApiKey('secret'),
]);
const tenant = (id: string, slug: string, status: string, keys: object[]) => ({
  id,
  slug,
  name: slug,
  status,
  allowedOrigins: [`https://${slug}.example`],
  features: { chat: true },
  limits: { requestsPerMinute: 60, burst: 10, maxDocuments: 10, maxUploadBytes: 100, maxTopK: 5 },
  projects: id === ONE ? [{ id: PROJECT, name: 'P' }] : [],
  apiKeys: keys,
});
const key = (k: { keyId: string; hash: string }, kind: string, scopes: string[], projects: unknown = 'all') => ({
  id: k.keyId,
  kind,
  hash: k.hash,
  scopes,
  projects,
  revoked: false,
});
const registry = createTenantRegistry({
  tenants: [
    tenant(ONE, 'one', 'active', [
      key(oneSecret, 'secret', ['documents:read']),
      key(onePublishable, 'publishable', ['chat'], [PROJECT]),
    ]),
    tenant(TWO, 'two', 'suspended', [key(twoSecret, 'secret', ['admin'])]),
  ],
});

const app = appWith(resolveTenant({ registry, keyStore: inMemoryKeyStore(registry.apiKeys()) })).get('/who', (c) => {
  const t = c.get('tenant');
  return c.json({ tenantId: t.tenantId, kind: t.principal.kind, scopes: [...t.scopes], projectIds: t.projectIds });
});
const who = (headers: Record<string, string>, slug?: string) =>
  send(app, `https://${slug ? `${slug}.` : ''}${env.API_HOST}/who`, { headers });

describe('resolveTenant', () => {
  it('sets the context from a secret key: its tenant, its scopes, all projects', async () => {
    const res = await who({ 'x-api-key': oneSecret.key });
    expect(await res.json()).toEqual({
      tenantId: ONE,
      kind: 'secret_key',
      scopes: ['documents:read'],
      projectIds: 'all',
    });
  });

  it('caps a publishable key to its projects, from its origin only', async () => {
    const res = await who({ 'x-api-key': onePublishable.key, origin: 'https://one.example' });
    expect(await res.json()).toMatchObject({ kind: 'publishable_key', scopes: ['chat'], projectIds: [PROJECT] });
    expect((await who({ 'x-api-key': onePublishable.key })).status).toBe(403);
  });

  it('401 with nothing, 403 when sources disagree or the tenant is suspended, 404 for an unknown subdomain', async () => {
    expect((await who({})).status).toBe(401);
    expect((await who({}, 'one')).status).toBe(401);
    expect((await who({ 'x-api-key': oneSecret.key }, 'two')).status).toBe(403);
    expect((await who({ 'x-api-key': twoSecret.key })).status).toBe(403);
    expect((await who({ 'x-api-key': oneSecret.key }, 'three')).status).toBe(404);
  });

  it('ignores x-tenant-id outside development and honours it inside', async () => {
    expect((await who({ 'x-tenant-id': ONE })).status).toBe(401);
    const dev = await send(app, '/who', { headers: { 'x-tenant-id': ONE } }, { ENVIRONMENT: 'development' });
    expect(await dev.json()).toMatchObject({ tenantId: ONE, kind: 'development' });
  });
});
