// API keys are looked up in Postgres (bulkhead_auth.resolve_api_key): a key revoked there fails at
// once for a verifier that has not cached it, and within VERIFIED_KEY_TTL_MS for one that has.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { httpSql } from '../../../src/db/neon-client.ts';
import { devApiKey } from '../../../src/tenancy/dev-keys.ts';
import { call, demoTenant } from '../edge/harness.ts';
import { adminSettings } from '../helpers/settings.ts';

const admin = () => httpSql(adminSettings());

async function setRevoked(keyId: string, revoked: boolean) {
  const sql = admin();
  // The fixture connects as the cluster's admin (a superuser, so not subject to RLS).
  await sql`update api_keys set revoked_at = ${revoked ? new Date().toISOString() : null} where lookup_id = ${keyId}`;
}

describe('API keys from Postgres', () => {
  const revokedIds: string[] = [];
  afterAll(async () => {
    for (const keyId of revokedIds) await setRevoked(keyId, false);
  });

  it('verifies a seeded key through the database and resolves its tenant', async () => {
    const acme = await demoTenant('acme');
    const res = await call('/v1/whoami', { headers: { authorization: `Bearer ${acme.secretKey}` } }, createApp());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tenantId: string }).tenantId).toBe(acme.id);
  });

  it('refuses a key revoked in the database at once for a fresh isolate, within the TTL for a warm one', async () => {
    const { key, keyId } = await devApiKey('globex', 'secret');
    const warm = createApp();
    const whoami = (app: ReturnType<typeof createApp>) =>
      call('/v1/whoami', { headers: { authorization: `Bearer ${key}` } }, app);
    expect((await whoami(warm)).status).toBe(200);

    revokedIds.push(keyId);
    await setRevoked(keyId, true);
    expect((await whoami(createApp())).status).toBe(401);
    // The warm isolate trusts its cached verification until VERIFIED_KEY_TTL_MS (the stated bound).
    expect((await whoami(warm)).status).toBe(200);
  });
});
