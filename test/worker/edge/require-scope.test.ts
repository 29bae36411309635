import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { type Scope, toTenantId } from '../../../src/tenancy/context.ts';
import { appWith, send } from './middleware-app.ts';
import { requireScope } from './require-scope.ts';

const withScopes = createMiddleware<AppEnv>(async (c, next) => {
  const scopes = new Set((c.req.header('x-test-scopes') ?? '').split(',').filter(Boolean) as Scope[]);
  const limits = { requestsPerMinute: 1, burst: 1, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 1 };
  const tenantId = toTenantId('30000000-0000-4000-8000-000000000001');
  c.set('tenant', {
    tenantId,
    projectIds: 'all',
    principal: { kind: 'publishable_key', id: 'k' },
    scopes,
    features: {},
    limits,
  });
  await next();
});
const app = appWith(withScopes).post('/ingest', requireScope('documents:write'), (c) => c.text('ok'));
const post = (scopes: string) => send(app, '/ingest', { method: 'POST', headers: { 'x-test-scopes': scopes } });

describe('requireScope', () => {
  it('lets a context with the scope through', async () => {
    expect((await post('documents:write')).status).toBe(200);
  });

  it('answers 403 in the envelope without it', async () => {
    const res = await post('chat,retrieval');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });
});
