// A 401 on a known tenant's subdomain is audited under that tenant (issue 13 §4): an API key or a
// user token that does not verify leaves a sampled access.denied row, actor anonymous, and none
// under any other tenant; off a subdomain nothing names a tenant, so nothing is filed.
import { neon } from '@neondatabase/serverless';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { adminSettings } from '../helpers/settings.ts';
import { ALL_TENANT_IDS, call, demoTenant } from './harness.ts';

const rowsFor = async (requestId: string) =>
  neon(adminSettings().DATABASE_URL)`
    select tenant_id, actor_kind, detail->>'reason' as reason from audit_events
    where action = 'access.denied' and detail->>'requestId' = ${requestId}`;

describe('401s on a known subdomain are audited', () => {
  it('a forged key on acme.{API_HOST}: one row under acme, actor anonymous', async () => {
    const acme = await demoTenant('acme');
    const forged = `${acme.secretKey.slice(0, -8)}AAAAAAAA`;
    const res = await call('/v1/whoami', { slug: 'acme', headers: { 'x-api-key': forged } }, createApp());
    expect(res.status).toBe(401);
    const rows = await rowsFor(res.headers.get('x-request-id') ?? '');
    expect(rows).toEqual([{ tenant_id: acme.id, actor_kind: 'anonymous', reason: 'invalid_api_key' }]);
    expect(ALL_TENANT_IDS).toContain(rows[0]?.tenant_id);
  });

  it('the same key on the shared host files nothing', async () => {
    const acme = await demoTenant('acme');
    const forged = `${acme.secretKey.slice(0, -8)}BBBBBBBB`;
    const res = await call('/v1/whoami', { headers: { 'x-api-key': forged } }, createApp());
    expect(res.status).toBe(401);
    expect(await rowsFor(res.headers.get('x-request-id') ?? '')).toEqual([]);
  });
});
