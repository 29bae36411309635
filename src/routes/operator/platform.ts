// Operator API: the platform-wide maintenance switch (mounted at /operator/v1/platform). While on,
// every tenant request answers 503 `maintenance` with Retry-After within the tenant cache bound
// (15 s); /healthz says so; the operator API itself keeps working, so the switch can be turned off.
import { Hono } from 'hono';
import { readPlatformMaintenance, writePlatformMaintenance } from '../../db/platform-settings.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { describeOperatorRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { requireOperatorScope } from '../../http/operator-auth.ts';
import { MaintenanceBody, MaintenanceResponse } from './schemas.ts';

const TAGS = ['operator'];

export const platformRoutes = new Hono<AppEnv>()
  .get(
    '/maintenance',
    describeOperatorRoute({
      summary: 'Read the platform maintenance switch',
      tags: TAGS,
      responses: { 200: json('Both switches', MaintenanceResponse) },
    }),
    requireOperatorScope('tenants:read'),
    async (c) => {
      const settings = c.get('settings');
      const state = await readPlatformMaintenance(settings);
      return c.json({ ...state, deployTimeSwitch: settings.MAINTENANCE === 'true' });
    },
  )
  .put(
    '/maintenance',
    describeOperatorRoute({
      summary: 'Turn the platform maintenance switch on or off',
      description: 'Every isolate sees the change within 15 s. The deploy-time MAINTENANCE var is not changed here.',
      tags: TAGS,
      responses: { 200: json('Both switches after the change', MaintenanceResponse) },
    }),
    requireOperatorScope('platform:write'),
    validate('json', MaintenanceBody),
    async (c) => {
      const settings = c.get('settings');
      const { maintenance, message } = c.req.valid('json');
      const state = await writePlatformMaintenance(settings, maintenance, message ?? null);
      console.log(
        JSON.stringify({ level: 'warn', event: 'platform.maintenance', maintenance, operator: c.get('operator').id }),
      );
      return c.json({ ...state, deployTimeSwitch: settings.MAINTENANCE === 'true' });
    },
  );
