// What the caller is and what it reaches: GET /v1/whoami (its own tenant context, from the edge,
// no database) and GET /v1/projects (the projects it may name as `projectId`, read under RLS). Any
// credential of the tenant may ask; only the caller's own tenant ever appears, never key hashes.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { listProjects } from '../../services/projects.ts';

export const callerRoutes = new Hono<AppEnv>()
  .get('/whoami', (c) => {
    const tenant = c.get('tenant');
    return c.json({
      tenantId: tenant.tenantId,
      principal: { kind: tenant.principal.kind, id: tenant.principal.id },
      scopes: [...tenant.scopes],
      projectIds: tenant.projectIds,
      features: Object.keys(tenant.features).filter((flag) => tenant.features[flag] === true),
    });
  })
  .get('/projects', async (c) => c.json(await listProjects({ ...serviceCall(c), input: undefined })));
