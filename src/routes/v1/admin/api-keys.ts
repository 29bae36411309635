// /v1/api-keys (tenant-wide admin): create (the key shown once), list (never a secret or hash),
// revoke, reroll. Idempotency-Key is honoured, but an answer carrying a key is never stored for
// replay (the database must not hold a usable key): a retried create mints another key.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { idempotent } from '../../../http/idempotency.ts';
import { describeTenantRoute, json, noContent } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { createApiKey } from '../../../services/api-keys/create-api-key.ts';
import { listApiKeys } from '../../../services/api-keys/list-api-keys.ts';
import { rerollApiKey } from '../../../services/api-keys/reroll-api-key.ts';
import { revokeApiKey } from '../../../services/api-keys/revoke-api-key.ts';
import { IdParam } from '../schemas.ts';
import { adminScope, requireTenantWide } from './guards.ts';
import { ApiKeyList, CreatedApiKey, RerolledApiKey } from './response-schemas.ts';
import { CreateApiKeyBody, RerollBody } from './schemas.ts';

const neverStored = idempotent({ storable: () => false });
const tags = ['admin: API keys'];
const credentials = ['secretKey' as const, 'userJwt' as const];
const TENANT_WIDE = 'Needs the admin scope and a tenant-wide credential.';

export const adminApiKeyRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeTenantRoute({
      summary: "List the tenant's API keys (never a secret or a hash)",
      description: TENANT_WIDE,
      tags,
      credentials,
      responses: { 200: json('Every key, with its state and last use', ApiKeyList) },
    }),
    adminScope,
    requireTenantWide,
    async (c) => c.json(await listApiKeys({ ...serviceCall(c), input: undefined })),
  )
  .post(
    '/',
    describeTenantRoute({
      summary: 'Create an API key; the whole key is in this answer only',
      description: `${TENANT_WIDE} A publishable key may hold only chat and retrieval.`,
      tags,
      credentials,
      idempotent: true,
      responses: { 201: json('The new key, shown once', CreatedApiKey) },
    }),
    adminScope,
    requireTenantWide,
    neverStored,
    validate('json', CreateApiKeyBody),
    async (c) => c.json({ apiKey: await createApiKey({ ...serviceCall(c), input: c.req.valid('json') }) }, 201),
  )
  .delete(
    '/:id',
    describeTenantRoute({
      summary: 'Revoke an API key',
      description: `${TENANT_WIDE} Refused by every database lookup from the commit; caches that verified it before trust it for at most 60 s.`,
      tags,
      credentials,
      responses: { 204: noContent('Revoked (also when it already was, or is not there)') },
    }),
    adminScope,
    requireTenantWide,
    validate('param', IdParam),
    async (c) => {
      await revokeApiKey({ ...serviceCall(c), input: { id: c.req.valid('param').id } });
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/reroll',
    describeTenantRoute({
      summary: 'Replace an API key with a new one; the old one keeps working for overlapSeconds',
      description: `${TENANT_WIDE} The new key has the old one's kind, scopes, projects, label and expiry.`,
      tags,
      credentials,
      idempotent: true,
      responses: { 201: json('The new key, shown once, and when the old one stops working', RerolledApiKey) },
    }),
    adminScope,
    requireTenantWide,
    neverStored,
    validate('param', IdParam),
    validate('json', RerollBody),
    async (c) => {
      const input = { id: c.req.valid('param').id, overlapSeconds: c.req.valid('json').overlapSeconds };
      return c.json(await rerollApiKey({ ...serviceCall(c), input }), 201);
    },
  );
