// GET /operator/v1/usage: counts per tenant for the platform team, paged by tenant id. Counts only
// (documents, chunks, conversations, messages, stored bytes, live keys), through the one SECURITY
// DEFINER function built for it (drizzle/0008_admin_api.sql), which counts each tenant under that
// tenant's own context; no row, title or id of anything inside a tenant leaves the database.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.ts';
import { describeOperatorRoute, json } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { requireOperatorScope } from '../../http/operator-auth.ts';
import { operatorUsage } from '../../services/usage/operator-usage.ts';
import { Uuid } from '../v1/schemas.ts';

const UsageQuery = z.strictObject({
  after: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const Count = z.int().min(0);

export const OperatorUsage = z
  .strictObject({
    tenants: z.array(
      z.strictObject({
        tenantId: z.guid(),
        documents: Count,
        chunks: Count,
        conversations: Count,
        messages: Count,
        storedBytes: Count,
        liveApiKeys: Count,
      }),
    ),
    nextAfter: z.guid().nullable().describe('Pass as `after` for the next page; null on the last'),
  })
  .meta({ id: 'OperatorUsage' });

export const operatorUsageRoutes = new Hono<AppEnv>().get(
  '/usage',
  describeOperatorRoute({
    summary: 'Usage counts per tenant (counts only, no tenant data)',
    tags: ['operator'],
    responses: { 200: json('A page of tenants, ordered by id', OperatorUsage) },
  }),
  requireOperatorScope('tenants:read'),
  validate('query', UsageQuery),
  async (c) => c.json(await operatorUsage(c.get('settings'), c.req.valid('query'))),
);
