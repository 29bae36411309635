// Calls to the admin API as a test tenant, and requests with a key the test made through it. A
// fresh app (fresh isolate caches) is what "the database path" means: nothing it holds has seen
// the key before, so resolution asks Postgres (bulkhead_auth.resolve_api_key).
import { createApp } from '../../../src/app.ts';
import { type ApiRequest, api, type Harness, json, type TestTenant } from '../api/harness.ts';

export interface IssuedKey {
  id: string;
  keyId: string;
  key: string;
  projects: 'all' | string[];
  expiresAt: string | null;
}

/** `tenant` with its `secret` key replaced by `key`: api() then sends that key. */
export const withSecretKey = (tenant: TestTenant, key: string): TestTenant => ({
  ...tenant,
  keys: { ...tenant.keys, secret: key },
});

/** A request with `key`, through an app whose caches have never seen it. */
export function onDatabasePath(h: Harness, tenant: TestTenant, key: string, path: string, request: ApiRequest = {}) {
  return api({ ...h, app: createApp() }, withSecretKey(tenant, key), path, request);
}

export async function createKey(h: Harness, tenant: TestTenant, body: Record<string, unknown>): Promise<IssuedKey> {
  const res = await api(h, tenant, '/v1/api-keys', { body });
  if (res.status !== 201) throw new Error(`POST /v1/api-keys answered ${res.status}: ${await res.text()}`);
  return (await json<{ apiKey: IssuedKey }>(res)).apiKey;
}

export const readerKey = (tenant: TestTenant) => ({
  kind: 'secret',
  scopes: ['documents:read'],
  projects: [tenant.projectIds[0]],
  label: 'reader',
});
