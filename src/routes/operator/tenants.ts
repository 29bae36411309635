// Operator API: tenants (mounted at /operator/v1/tenants behind operatorAuth). Every action runs
// under the named tenant's own context (src/services/tenants/); the list is control-plane fields
// only, read through bulkhead_auth.list_tenants. Offboarding is the erasure job
// (POST /tenants/{id}/erasure, src/routes/operator/tenant-erasure.ts).
import { type Context, Hono } from 'hono';
import { listTenants } from '../../db/tenant-resolution.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { describeOperatorRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { requireOperatorScope } from '../../http/operator-auth.ts';
import {
  changeLock,
  changeStatus,
  readTenant,
  type StatusChange,
  updateSettings,
} from '../../services/tenants/change-tenant.ts';
import { createTenant } from '../../services/tenants/create-tenant.ts';
import {
  CreatedTenantResponse,
  CreateTenantBody,
  ListTenantsQuery,
  TenantIdParam,
  TenantListResponse,
  TenantResponse,
  UpdateTenantBody,
} from './schemas.ts';

const deps = (c: Context<AppEnv>) => ({ settings: c.get('settings'), requestId: c.get('requestId') });
const target = (c: Context<AppEnv>, tenantId: string) => ({ tenantId, operatorId: c.get('operator').id });
const TAGS = ['operator'];

const statusRoute = (change: StatusChange | 'lock' | 'unlock', summary: string, description: string) =>
  [
    describeOperatorRoute({
      summary,
      description,
      tags: TAGS,
      errors: [409],
      responses: { 200: json('The tenant after the change', TenantResponse) },
    }),
    requireOperatorScope('tenants:write'),
    validate('param', TenantIdParam),
    async (c: Context<AppEnv, string, { out: { param: { id: string } } }>) => {
      const { id } = c.req.valid('param');
      const tenant =
        change === 'lock' || change === 'unlock'
          ? await changeLock(deps(c), target(c, id), change === 'lock')
          : await changeStatus(deps(c), target(c, id), change);
      return c.json({ tenant });
    },
  ] as const;

export const operatorTenantRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeOperatorRoute({
      summary: 'Create a tenant with its default project and first secret key',
      description:
        'One call provisions everything a new customer needs. The secret key is in this answer only. A taken slug is 409 (slugs are never reused).',
      tags: TAGS,
      errors: [409],
      responses: { 201: json('The tenant, its default project and its first secret key', CreatedTenantResponse) },
    }),
    requireOperatorScope('tenants:write'),
    validate('json', CreateTenantBody),
    async (c) => {
      const body = c.req.valid('json');
      const created = await createTenant(deps(c), {
        slug: body.slug,
        name: body.name,
        allowedOrigins: body.allowedOrigins,
        features: Object.fromEntries(Object.entries(body.features).filter(([, on]) => on !== undefined)) as Record<
          string,
          boolean
        >,
        limits: body.limits,
        jwt: body.jwt ?? null,
        projectName: body.projectName,
        operatorId: c.get('operator').id,
      });
      return c.json(created, 201);
    },
  )
  .get(
    '/',
    describeOperatorRoute({
      summary: 'List tenants (control-plane fields only)',
      tags: TAGS,
      responses: { 200: json('A page of tenants by id; pass nextAfter as after for the next', TenantListResponse) },
    }),
    requireOperatorScope('tenants:read'),
    validate('query', ListTenantsQuery),
    async (c) => {
      const { after, limit } = c.req.valid('query');
      const tenants = await listTenants(c.get('settings'), after, limit);
      const nextAfter = tenants.length === limit ? (tenants[tenants.length - 1]?.id ?? null) : null;
      return c.json({ tenants, nextAfter });
    },
  )
  .get(
    '/:id',
    describeOperatorRoute({
      summary: "Read a tenant's settings and status",
      tags: TAGS,
      responses: { 200: json('The tenant', TenantResponse) },
    }),
    requireOperatorScope('tenants:read'),
    validate('param', TenantIdParam),
    async (c) => c.json({ tenant: await readTenant(deps(c), target(c, c.req.valid('param').id)) }),
  )
  .patch(
    '/:id',
    describeOperatorRoute({
      summary: "Change a tenant's settings",
      description:
        'Name, allowed origins, feature flags, limits, JWT settings (null removes them). Every isolate sees the change within 15 s (the tenant cache bound).',
      tags: TAGS,
      responses: { 200: json('The tenant after the change', TenantResponse) },
    }),
    requireOperatorScope('tenants:write'),
    validate('param', TenantIdParam),
    validate('json', UpdateTenantBody),
    async (c) => {
      const tenant = await updateSettings(deps(c), target(c, c.req.valid('param').id), c.req.valid('json'));
      return c.json({ tenant });
    },
  )
  .post(
    '/:id/suspend',
    ...statusRoute(
      'suspend',
      'Suspend a tenant',
      'Every credential of the tenant is refused at once on the database path and within 15 s at the edge (403). Its data stays.',
    ),
  )
  .post('/:id/resume', ...statusRoute('resume', 'Resume a suspended tenant', 'The tenant is served again within 15 s.'))
  .post(
    '/:id/lock',
    ...statusRoute(
      'lock',
      'Lock a tenant for maintenance',
      "The tenant's requests answer 503 maintenance with Retry-After: at once on the database path, within 15 s everywhere.",
    ),
  )
  .post('/:id/unlock', ...statusRoute('unlock', 'Unlock a tenant', 'Served again within 15 s.'));
