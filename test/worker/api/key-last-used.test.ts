// Tenant resolution records a verified key's use (api_keys.last_used_at, src/services/api-keys/
// record-key-use.ts) after the response: a request with a key sets it under that key's tenant only.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../src/tenancy/api-key-format.ts';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

const lastUsed = async (tenant: TestTenant, key: string) => {
  const rows =
    await admin()`select last_used_at from api_keys where tenant_id = ${tenant.id} and lookup_id = ${parseApiKey(key)?.keyId}`;
  return rows[0]?.last_used_at ?? null;
};

describe('key use is recorded by tenant resolution', () => {
  it('a request with a key sets its last_used_at; the other tenant’s keys stay untouched', async () => {
    expect(await lastUsed(a, a.keys.readOnly)).toBeNull();
    expect((await api(h, a, '/v1/whoami', { key: 'readOnly' })).status).toBe(200);
    let seen = null;
    for (let i = 0; i < 40 && seen === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await lastUsed(a, a.keys.readOnly);
    }
    expect(seen).not.toBeNull();
    expect(await lastUsed(b, b.keys.readOnly)).toBeNull();
  });
});
