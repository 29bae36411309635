// maxTopK refusals are audited (issue 13 §4, docs/threat-model.md T49): a query asking for more
// than the tenant's limit is a 400 naming the limit and leaves one access.denied row, under the
// caller's tenant only.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, HARNESS_LIMITS, type Harness, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

const denials = async (tenant: TestTenant) =>
  admin()`select detail->>'limit' as limit, detail->>'max' as max from audit_events
          where tenant_id = ${tenant.id} and action = 'access.denied' and detail->>'limit' = 'maxTopK'`;

describe('maxTopK', () => {
  it('a topK over the limit is 400 naming it, and audited under the caller only', async () => {
    const res = await api(h, a, '/v1/query', {
      body: { query: 'anything', topK: HARNESS_LIMITS.maxTopK + 1, projectId: a.projectIds[0] },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      `at most ${HARNESS_LIMITS.maxTopK}`,
    );
    expect(await denials(a)).toEqual([{ limit: 'maxTopK', max: String(HARNESS_LIMITS.maxTopK) }]);
    expect(await denials(b)).toEqual([]);
  });
});
