// GET /v1/whoami: the caller's own tenant context — what a widget or integration may do. Only the
// caller's own tenant appears; key hashes and other tenants never do.
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

export const whoami = new Hono<AppEnv>().get('/v1/whoami', (c) => {
  const tenant = c.get('tenant');
  return c.json({
    tenantId: tenant.tenantId,
    principal: { kind: tenant.principal.kind, id: tenant.principal.id },
    scopes: [...tenant.scopes],
    projectIds: tenant.projectIds,
    features: Object.keys(tenant.features).filter((flag) => tenant.features[flag] === true),
  });
});
