// Round trips to Postgres per request with the registry in Postgres (issue 13, performance): a
// cold key costs one lookup (bulkhead_auth.resolve_api_key, which brings its tenant's settings and
// the platform switch), and a request whose key and tenant are cached costs only its own
// transaction. Counted at the Neon HTTP driver, by what each request body carries.
import { env } from 'cloudflare:workers';
import { neonConfig } from '@neondatabase/serverless';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { demoTenant, tenantUrl } from './harness.ts';

const originalFetch = neonConfig.fetchFunction;
afterEach(() => {
  neonConfig.fetchFunction = originalFetch;
});

function countBodies(tenantId: string, keyId: string) {
  const counts = { keyLookups: 0, tenantLookups: 0, platformLookups: 0, transactions: 0 };
  neonConfig.fetchFunction = (url: string, init: RequestInit) => {
    const body = String(init.body);
    if (body.includes('resolve_api_key') && body.includes(keyId)) counts.keyLookups++;
    if (body.includes('resolve_tenant') && body.includes(tenantId)) counts.tenantLookups++;
    if (body.includes('platform_maintenance() as on')) counts.platformLookups++;
    // api_keys.last_used_at is written after the response, once a minute per key and isolate: not
    // the request's own round trip (src/services/api-keys/record-key-use.ts).
    if (body.includes('last_used_at')) return fetch(url, init);
    if (body.includes('assert_tenant_serving') && body.includes(tenantId)) counts.transactions++;
    return fetch(url, init);
  };
  return counts;
}

describe('round trips to Postgres (registry in Postgres)', () => {
  it('cold key: one lookup plus the transaction; cached key and tenant: the transaction only', async () => {
    const initech = await demoTenant('initech');
    const keyId = initech.secretKey.split('_')[1] as string;
    const app = createApp(); // a new isolate's caches: nothing known
    const get = () => app.request(tenantUrl('/v1/projects'), { headers: { 'x-api-key': initech.secretKey } }, env);
    const counts = countBodies(initech.id, keyId);
    expect((await get()).status).toBe(200);
    expect({ ...counts }).toEqual({ keyLookups: 1, tenantLookups: 0, platformLookups: 0, transactions: 1 });
    expect((await get()).status).toBe(200);
    expect({ ...counts }).toEqual({ keyLookups: 1, tenantLookups: 0, platformLookups: 0, transactions: 2 });
  });
});
