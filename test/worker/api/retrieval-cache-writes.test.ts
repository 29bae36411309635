// The retrieval cache is written only for a project the caller was shown to reach: a tenant-wide
// key querying a random project id gets the same 404 as any missing project, and nothing under the
// tenant's KV prefix is written for it; a real project's query is still cached.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tenantCachePrefix } from '../../../src/tenancy/storage-names.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { api, createHarness, type Harness, outcome, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

async function cacheKeys(tenant: TestTenant): Promise<string[]> {
  const prefix = tenantCachePrefix(tenantContext(tenant.id));
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.CACHE.list({ prefix, cursor });
    names.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names.sort();
}

describe('POST /v1/query and the retrieval cache', () => {
  it('a random projectId is a 404 and writes no KV key under the tenant prefix', async () => {
    const before = await cacheKeys(a);
    for (let i = 0; i < 3; i++) {
      const res = await api(h, a, '/v1/query', {
        body: { query: 'what is the refund policy?', topK: 5, projectId: crypto.randomUUID() },
      });
      expect(await outcome(res)).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(await cacheKeys(a)).toEqual(before);
  });

  it('a project the key reaches is cached as before', async () => {
    const before = await cacheKeys(a);
    const body = { query: `opening hours ${crypto.randomUUID()}`, topK: 5, projectId: a.projectIds[0] };
    expect((await api(h, a, '/v1/query', { body })).status).toBe(200);
    const after = await cacheKeys(a);
    const added = after.filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/:retrieval:/);
    expect((await api(h, a, '/v1/query', { body })).status).toBe(200);
    expect(await cacheKeys(a)).toEqual(after);
  });
});
