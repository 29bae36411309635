// GET /v1/projects: the ids an integrator passes as `projectId`, exactly the caller's reach: a
// tenant-wide key sees its tenant's projects, a key limited to one project sees that one, and
// nothing of another tenant ever appears.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';

interface ProjectList {
  projects: { id: string; name: string; createdAt: string }[];
}

describe('GET /v1/projects', () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  it("lists a tenant-wide key's projects and no other tenant's", async () => {
    const res = await api(h, a, '/v1/projects');
    expect(res.status).toBe(200);
    const { projects } = await json<ProjectList>(res);
    expect(projects.map((p) => p.id).sort()).toEqual([...a.projectIds].sort());
    expect(projects.map((p) => p.name).sort()).toEqual(['first', 'second']);
    for (const id of b.projectIds) expect(JSON.stringify(projects)).not.toContain(id);
  });

  it('lists only the project a limited key reaches', async () => {
    const { projects } = await json<ProjectList>(await api(h, a, '/v1/projects', { key: 'publishable' }));
    expect(projects.map((p) => p.id)).toEqual([a.projectIds[0]]);
  });
});
