// The operator API under /operator/v1: the platform team's routes, mounted by createApp above the
// tenant chain with their own: body limit, the operator credential (src/http/operator-auth.ts) and
// per-route operator scopes. No tenant credential is read here, and no route here reads tenant data
// across tenants: each action runs under the one tenant it names.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { bodyLimit } from '../../http/body-limit.ts';
import { operatorAuth, requireOperatorScope } from '../../http/operator-auth.ts';
import { platformRoutes } from './platform.ts';
import { tenantErasureRoutes } from './tenant-erasure.ts';
import { operatorTenantRoutes } from './tenants.ts';
import { operatorUsageRoutes } from './usage.ts';

export const operatorRoutes = new Hono<AppEnv>()
  .use(bodyLimit({}), operatorAuth())
  .use('/tenants/:id/erasure', requireOperatorScope('tenants:write'))
  .use('/tenants/:id/jobs/*', requireOperatorScope('tenants:read'))
  .route('/tenants', operatorTenantRoutes)
  .route('/platform', platformRoutes)
  .route('/', tenantErasureRoutes)
  .route('/', operatorUsageRoutes);
