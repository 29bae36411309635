// GET and PUT /v1/retention (tenant-wide admin): how long messages and retrieval logs are kept.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../http/app-env.ts';
import { describeTenantRoute, json } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { changeRetentionSettings, retentionSettings } from '../../../services/retention/retention-settings.ts';
import { adminScope, requireTenantWide } from './guards.ts';

const Days = z.int().min(1).max(3650).nullable().describe('Days kept; null keeps them forever');

const Retention = z
  .strictObject({ messagesDays: Days, retrievalsDays: Days })
  .meta({ id: 'Retention', examples: [{ messagesDays: 90, retrievalsDays: 30 }] });

const describe = (summary: string) =>
  describeTenantRoute({
    summary,
    description:
      'Needs the admin scope and a tenant-wide credential. The cron trigger purges older messages and retrieval logs, tenant by tenant.',
    tags: ['admin: retention'],
    credentials: ['secretKey', 'userJwt'],
    responses: { 200: json('The retention setting', Retention) },
  });

export const adminRetentionRoutes = new Hono<AppEnv>()
  .get('/', describe('How long messages and retrieval logs are kept'), adminScope, requireTenantWide, async (c) =>
    c.json(await retentionSettings({ ...serviceCall(c), input: undefined })),
  )
  .put(
    '/',
    describe('Set how long messages and retrieval logs are kept'),
    adminScope,
    requireTenantWide,
    validate('json', Retention),
    async (c) => c.json(await changeRetentionSettings({ ...serviceCall(c), input: c.req.valid('json') })),
  );
