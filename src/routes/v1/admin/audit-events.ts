// GET /v1/audit-events (admin): the tenant's own audit log, filtered and paged.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { describeTenantRoute, json } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { listAuditEvents } from '../../../services/audit-log/list-audit-events.ts';
import { adminScope } from './guards.ts';
import { AuditEventPage } from './response-schemas.ts';
import { AuditEventsQuery } from './schemas.ts';

export const adminAuditRoutes = new Hono<AppEnv>().get(
  '/',
  describeTenantRoute({
    summary: "Read the tenant's audit log, newest first, filtered by action, outcome, actor and time",
    description: 'A project-limited admin sees only the rows of its projects.',
    tags: ['admin: audit log'],
    credentials: ['secretKey', 'userJwt'],
    responses: { 200: json('A page of audit events', AuditEventPage) },
  }),
  adminScope,
  validate('query', AuditEventsQuery),
  async (c) => c.json(await listAuditEvents({ ...serviceCall(c), input: c.req.valid('query') })),
);
