// tenantCors alone: a stand-in resolver sets the tenant's origins, as resolveTenant does.
import { env } from 'cloudflare:workers';
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import provisioning from '../../configs/tenants/provisioning.json' with { type: 'json' };
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { ApiError } from '../domain/api-error.ts';
import { createTenantRegistry } from '../tenancy/registry.ts';
import { cachedTenantDirectory, registrySource } from '../tenancy/tenant-directory.ts';
import type { AppEnv } from './app-env.ts';
import { tenantCors } from './tenant-cors.ts';

const registry = createTenantRegistry(provisioning);
const ACME = 'https://www.acme.example';
const resolvedAs = createMiddleware<AppEnv>(async (c, next) => {
  const slug = c.req.header('x-test-tenant');
  if (!slug) throw new ApiError('unauthorized', 'no');
  c.set('allowedOrigins', registry.bySlug(slug)?.allowedOrigins ?? new Set());
  await next();
});
const app = appWith(tenantCors({ directory: cachedTenantDirectory(registrySource(registry)) }), resolvedAs).get(
  '/r',
  (c) => c.text('ok'),
);
const get = (origin: string, tenant?: string) =>
  send(app, '/r', { headers: { origin, ...(tenant ? { 'x-test-tenant': tenant } : {}) } });
const preflight = (slug: string, origin: string) =>
  send(app, `https://${slug}.${env.API_HOST}/r`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST' },
  });

describe('tenantCors', () => {
  it("echoes exactly an origin on the resolved tenant's list", async () => {
    const res = await get(ACME, 'acme');
    expect(res.headers.get('access-control-allow-origin')).toBe(ACME);
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it.each(['https://evil.com', 'null', `${ACME}.evil.com`, 'http://www.acme.example'])('not %s', async (origin) => {
    expect((await get(origin, 'acme')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it("not another tenant's origin, and not on a refused request", async () => {
    expect((await get(ACME, 'globex')).headers.get('access-control-allow-origin')).toBeNull();
    const refused = await get(ACME);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight for the host tenant without credentials', async () => {
    const ok = await preflight('acme', ACME);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ACME);
    expect(ok.headers.get('access-control-max-age')).toBe('600');
    for (const [slug, origin] of [
      ['globex', ACME],
      ['umbrella', 'https://umbrella.example'],
      ['acme', 'null'],
    ]) {
      const res = await preflight(slug as string, origin as string);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers a preflight to the shared host when some serving tenant lists the origin, naming none', async () => {
    const shared = (origin: string) =>
      send(app, `https://${env.API_HOST}/r`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await shared(ACME)).headers.get('access-control-allow-origin')).toBe(ACME);
    expect((await shared('https://widget.globex.example')).headers.get('access-control-allow-origin')).toBe(
      'https://widget.globex.example',
    );
    // Not an origin no tenant lists, and not one only a suspended or deleting tenant lists.
    for (const origin of ['https://evil.com', 'https://umbrella.example', 'https://hooli.example', '*', 'null']) {
      const res = await shared(origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
