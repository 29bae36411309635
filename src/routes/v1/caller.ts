// What the caller is and what it reaches: GET /v1/whoami (its own tenant context, from the edge,
// no database) and GET /v1/projects (the projects it may name as `projectId`, read under RLS). Any
// credential of the tenant may ask; only the caller's own tenant ever appears, never key hashes.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { describeTenantRoute, json } from '../../http/openapi-describe.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { listProjects } from '../../services/projects.ts';
import { ProjectList, WhoAmI } from './response-schemas.ts';

const ANY_CREDENTIAL = ['secretKey', 'publishableKey', 'userJwt'] as const;

export const callerRoutes = new Hono<AppEnv>()
  .get(
    '/whoami',
    describeTenantRoute({
      summary: 'The calling credential: its tenant, principal, scopes, projects and the features on',
      tags: ['caller'],
      credentials: [...ANY_CREDENTIAL],
      responses: {
        200: json('The caller', WhoAmI),
      },
    }),
    (c) => {
      const tenant = c.get('tenant');
      return c.json({
        tenantId: tenant.tenantId,
        principal: { kind: tenant.principal.kind, id: tenant.principal.id },
        scopes: [...tenant.scopes],
        projectIds: tenant.projectIds,
        features: Object.keys(tenant.features).filter((flag) => tenant.features[flag] === true),
      });
    },
  )
  .get(
    '/projects',
    describeTenantRoute({
      summary: 'The projects this credential reaches (what it may pass as projectId)',
      tags: ['caller'],
      credentials: [...ANY_CREDENTIAL],
      responses: {
        200: json('The projects', ProjectList),
      },
    }),
    async (c) => c.json(await listProjects({ ...serviceCall(c), input: undefined })),
  );
