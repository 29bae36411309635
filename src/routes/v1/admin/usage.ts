// GET /v1/usage (tenant-wide admin): stored counts and audited activity per day.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { describeTenantRoute, json } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { tenantUsage } from '../../../services/usage/tenant-usage.ts';
import { adminScope, requireTenantWide } from './guards.ts';
import { TenantUsage } from './response-schemas.ts';
import { UsageQuery } from './schemas.ts';

export const adminUsageRoutes = new Hono<AppEnv>().get(
  '/',
  describeTenantRoute({
    summary: "The tenant's usage: what it stores, and its audited actions and refusals per UTC day",
    description:
      'Needs the admin scope and a tenant-wide credential. Request volume per day is in Workers Analytics Engine, not here.',
    tags: ['admin: usage'],
    credentials: ['secretKey', 'userJwt'],
    responses: { 200: json('Usage', TenantUsage) },
  }),
  adminScope,
  requireTenantWide,
  validate('query', UsageQuery),
  async (c) => c.json(await tenantUsage({ ...serviceCall(c), input: c.req.valid('query') })),
);
