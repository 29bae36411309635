// The tenant admin API's keys: created and shown once, listed without secrets, revoked at once on
// the database path, rerolled with an overlap during which both keys work, last use recorded, and
// every call refused to a non-admin or project-limited credential and blind to other tenants.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../../src/db/api-key-resolution.ts';
import { KEY_USE_INTERVAL_MS, recordKeyUse } from '../../../src/services/api-keys/record-key-use.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from '../api/harness.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { createKey, onDatabasePath, readerKey } from './admin-helpers.ts';

interface ListedKey {
  id: string;
  keyId: string;
  state: string;
  projects: 'all' | string[];
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const listKeys = async (h: Harness, tenant: TestTenant) =>
  (await json<{ apiKeys: ListedKey[] }>(await api(h, tenant, '/v1/api-keys'))).apiKeys;

describe('API keys (admin)', { timeout: 60_000 }, () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  it('creates a key that works at once with exactly its scopes and projects, shown only in the answer', async () => {
    const issued = await createKey(h, a, readerKey(a));
    expect(issued.key).toMatch(/^sk_[0-9a-z]{12}_/);
    const own = await onDatabasePath(h, a, issued.key, `/v1/documents?projectId=${a.projectIds[0]}`);
    expect(own.status).toBe(200);
    const other = await onDatabasePath(h, a, issued.key, `/v1/documents?projectId=${a.projectIds[1]}`);
    expect(other.status).toBe(404);
    const write = await onDatabasePath(h, a, issued.key, '/v1/ingest', {
      body: { source: 'web', title: 'x', text: 'x', projectId: a.projectIds[0] },
    });
    expect(write.status).toBe(403);
    // The list and the audit log never carry the key or its hash.
    const listed = await api(h, a, '/v1/api-keys');
    const text = await listed.text();
    expect(text).toContain(issued.keyId);
    expect(text).not.toContain(issued.key.split('_')[2]);
    expect(text).not.toContain('sha256');
    const [row] = (await admin()`select detail::text as detail from audit_events
      where tenant_id = ${a.id} and action = 'api_key.create' and target_id = ${issued.id}`) as Array<{
      detail: string;
    }>;
    expect(row?.detail).toContain(issued.keyId);
    expect(row?.detail).not.toContain(issued.key.split('_')[2]);
  });

  it('refuses a publishable key with server scopes and a project of another tenant', async () => {
    const publishable = await api(h, a, '/v1/api-keys', {
      body: { kind: 'publishable', scopes: ['chat', 'documents:write'], projects: 'all' },
    });
    expect(await outcome(publishable)).toMatchObject({ status: 400, code: 'bad_request' });
    const foreign = await api(h, a, '/v1/api-keys', { body: { ...readerKey(a), projects: [b.projectIds[0]] } });
    const missing = await api(h, a, '/v1/api-keys', { body: { ...readerKey(a), projects: [crypto.randomUUID()] } });
    expect(await outcome(foreign)).toEqual(await outcome(missing));
    expect(foreign.status).toBe(404);
  });

  it('a revoked key is refused on the database path at once, and listed as revoked', async () => {
    const issued = await createKey(h, a, readerKey(a));
    const path = `/v1/documents?projectId=${a.projectIds[0]}`;
    expect((await onDatabasePath(h, a, issued.key, path)).status).toBe(200);
    expect((await api(h, a, `/v1/api-keys/${issued.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await resolveApiKey(testSettings(), issued.keyId)).toEqual([]);
    expect((await onDatabasePath(h, a, issued.key, path)).status).toBe(401);
    expect((await listKeys(h, a)).find((k) => k.id === issued.id)?.state).toBe('revoked');
    // Again, or a key id that is not there: the same 204 (idempotent).
    expect((await api(h, a, `/v1/api-keys/${issued.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(h, a, `/v1/api-keys/${crypto.randomUUID()}`, { method: 'DELETE' })).status).toBe(204);
  });

  it("another tenant cannot revoke, reroll or see a tenant's key", async () => {
    const issued = await createKey(h, a, readerKey(a));
    const revoke = await api(h, b, `/v1/api-keys/${issued.id}`, { method: 'DELETE' });
    const reroll = await api(h, b, `/v1/api-keys/${issued.id}/reroll`, { body: { overlapSeconds: 0 } });
    expect(revoke.status).toBe(204);
    expect(await outcome(reroll)).toMatchObject({ status: 404, code: 'not_found' });
    expect((await listKeys(h, b)).map((k) => k.id)).not.toContain(issued.id);
    expect((await onDatabasePath(h, a, issued.key, `/v1/documents?projectId=${a.projectIds[0]}`)).status).toBe(200);
  });

  it('reroll: the new key works, the old one until the overlap ends; overlap 0 ends it at once', async () => {
    const path = `/v1/documents?projectId=${a.projectIds[0]}`;
    const old = await createKey(h, a, readerKey(a));
    const res = await api(h, a, `/v1/api-keys/${old.id}/reroll`, { body: { overlapSeconds: 600 } });
    expect(res.status, await res.clone().text()).toBe(201);
    const rolled = await json<{
      apiKey: { id: string; key: string; projects: string[] };
      previous: { expiresAt: string };
    }>(res);
    expect(rolled.apiKey.projects).toEqual([a.projectIds[0]]);
    const until = Date.parse(rolled.previous.expiresAt) - Date.now();
    expect(until).toBeGreaterThan(590_000);
    expect(until).toBeLessThanOrEqual(600_000);
    expect((await onDatabasePath(h, a, rolled.apiKey.key, path)).status).toBe(200);
    expect((await onDatabasePath(h, a, old.key, path)).status).toBe(200);
    // A key already rerolled can be rerolled again while it still works; here: end it now.
    const now = await api(h, a, `/v1/api-keys/${rolled.apiKey.id}/reroll`, { body: { overlapSeconds: 0 } });
    expect(now.status).toBe(201);
    expect((await onDatabasePath(h, a, rolled.apiKey.key, path)).status).toBe(401);
    expect((await listKeys(h, a)).find((k) => k.id === rolled.apiKey.id)?.state).toBe('expired');
    // An expired or revoked key cannot be rerolled.
    const again = await api(h, a, `/v1/api-keys/${rolled.apiKey.id}/reroll`, { body: { overlapSeconds: 0 } });
    expect(again.status).toBe(404);
  });

  it('a credential without admin, or an admin limited to some projects, cannot manage keys', async () => {
    const limitedAdmin = await createKey(h, a, {
      kind: 'secret',
      scopes: ['admin', 'documents:read'],
      projects: [a.projectIds[0]],
    });
    for (const [method, path, body] of [
      ['GET', '/v1/api-keys', undefined],
      ['POST', '/v1/api-keys', readerKey(a)],
      ['DELETE', `/v1/api-keys/${limitedAdmin.id}`, undefined],
      ['POST', `/v1/api-keys/${limitedAdmin.id}/reroll`, { overlapSeconds: 0 }],
    ] as const) {
      const readOnly = await api(h, a, path, { method, body, key: 'readOnly' });
      expect(await outcome(readOnly), `${method} ${path}`).toMatchObject({ status: 403, code: 'forbidden' });
      const limited = await onDatabasePath(h, a, limitedAdmin.key, path, { method, body });
      expect(await outcome(limited), `${method} ${path}`).toMatchObject({ status: 403, code: 'forbidden' });
    }
    expect((await listKeys(h, a)).find((k) => k.id === limitedAdmin.id)?.state).toBe('active');
  });

  it('last use: recorded under the key tenant, at most once per interval per isolate', async () => {
    const issued = await createKey(h, a, readerKey(a));
    expect((await listKeys(h, a)).find((k) => k.id === issued.id)?.lastUsedAt).toBeNull();
    const ctx = tenantContext(a.id, { principalId: issued.keyId, projectIds: [a.projectIds[0]] });
    let clock = Date.now();
    await recordKeyUse(ctx, testSettings(), { now: () => clock });
    const first = (await listKeys(h, a)).find((k) => k.id === issued.id)?.lastUsedAt;
    expect(first).not.toBeNull();
    expect(Math.abs(Date.parse(first as string) - Date.now())).toBeLessThan(60_000);
    // Within the interval this isolate writes nothing, even after the row is cleared.
    await admin()`update api_keys set last_used_at = null where tenant_id = ${a.id} and id = ${issued.id}`;
    clock += KEY_USE_INTERVAL_MS - 1;
    await recordKeyUse(ctx, testSettings(), { now: () => clock });
    expect((await listKeys(h, a)).find((k) => k.id === issued.id)?.lastUsedAt).toBeNull();
    clock += 1;
    await recordKeyUse(ctx, testSettings(), { now: () => clock });
    expect((await listKeys(h, a)).find((k) => k.id === issued.id)?.lastUsedAt).not.toBeNull();
    // Another tenant's context with this key id touches nothing of tenant A.
    await admin()`update api_keys set last_used_at = null where tenant_id = ${a.id} and id = ${issued.id}`;
    await recordKeyUse(tenantContext(b.id, { principalId: issued.keyId }), testSettings());
    expect((await listKeys(h, a)).find((k) => k.id === issued.id)?.lastUsedAt).toBeNull();
  });
});
