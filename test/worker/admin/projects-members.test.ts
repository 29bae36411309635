// Projects and members through the admin API: create, rename, delete (409 while documents remain;
// force removes each document as DELETE /v1/documents/{id} does, counted), and roles per project
// (rolesOfUser, what tenant resolution authorises user JWTs with), never across tenants or projects.
import { beforeAll, describe, expect, it } from 'vitest';
import { rolesOfUser } from '../../../src/db/repositories/member-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from '../api/harness.ts';
import { remainsOf } from '../api/remains.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { createKey, onDatabasePath } from './admin-helpers.ts';

const newProject = async (h: Harness, tenant: TestTenant, name = 'Support') => {
  const res = await api(h, tenant, '/v1/projects', { body: { name } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ id: string; name: string }>(res)).id;
};

const ingestInto = async (h: Harness, tenant: TestTenant, projectId: string, title: string) => {
  const res = await api(h, tenant, '/v1/ingest', {
    body: { source: 'document', title, text: `${tenant.canary} ${title} text.`, projectId },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ id: string }>(res)).id;
};

const rolesIn = (tenantId: string, userId: string) =>
  withTenant(tenantContext(tenantId), testSettings(), (scope) => [rolesOfUser(scope, userId)]).then(([rows]) => rows);

describe('projects (admin)', { timeout: 60_000 }, () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  it('creates and renames a project that GET /v1/projects then lists, and no other tenant sees', async () => {
    const id = await newProject(h, a, 'Billing');
    const renamed = await api(h, a, `/v1/projects/${id}`, { method: 'PATCH', body: { name: 'Invoices' } });
    expect(await json(renamed)).toMatchObject({ id, name: 'Invoices' });
    const { projects } = await json<{ projects: { id: string; name: string }[] }>(await api(h, a, '/v1/projects'));
    expect(projects.find((p) => p.id === id)?.name).toBe('Invoices');
    const theirs = await api(h, b, `/v1/projects/${id}`, { method: 'PATCH', body: { name: 'Taken' } });
    expect(await outcome(theirs)).toMatchObject({ status: 404, code: 'not_found' });
    const [row] = (await admin()`select name from projects where tenant_id = ${a.id} and id = ${id}`) as {
      name: string;
    }[];
    expect(row?.name).toBe('Invoices');
  });

  it('a project with documents is 409 without force; with force each document goes, counted, then the project', async () => {
    const id = await newProject(h, a);
    const documents = [await ingestInto(h, a, id, 'one'), await ingestInto(h, a, id, 'two')];
    const refused = await api(h, a, `/v1/projects/${id}`, { method: 'DELETE' });
    expect(await outcome(refused)).toMatchObject({ status: 409, code: 'conflict' });
    expect((await outcome(await api(h, a, `/v1/projects/${id}`, { method: 'DELETE' }))).message).toContain(
      '2 document',
    );
    const forced = await api(h, a, `/v1/projects/${id}?force=true`, { method: 'DELETE' });
    expect(forced.status, await forced.clone().text()).toBe(200);
    expect(await json(forced)).toEqual({ documentsDeleted: 2 });
    const inProject = { ...a, projectIds: [id, id] as [string, string] };
    for (const documentId of documents) {
      expect(await remainsOf(inProject, documentId)).toEqual({ documents: 0, chunks: 0, vectors: 0, objects: 0 });
    }
    const [left] =
      (await admin()`select count(*)::int as n from projects where tenant_id = ${a.id} and id = ${id}`) as {
        n: number;
      }[];
    expect(left?.n).toBe(0);
    const [deleted] = (await admin()`select detail from audit_events
      where tenant_id = ${a.id} and action = 'project.delete' and target_id = ${id}
        and detail->>'outcome' = 'allowed'`) as { detail: Record<string, unknown> }[];
    expect(deleted?.detail).toMatchObject({ force: true, documentsDeleted: 2 });
  });

  it("another tenant's forced delete removes nothing of this tenant's project", async () => {
    const id = await newProject(h, a);
    const documentId = await ingestInto(h, a, id, 'kept');
    const theirs = await api(h, b, `/v1/projects/${id}?force=true`, { method: 'DELETE' });
    expect(await json(theirs)).toEqual({ documentsDeleted: 0 });
    const inProject = { ...a, projectIds: [id, id] as [string, string] };
    expect(await remainsOf(inProject, documentId)).toMatchObject({ documents: 1, vectors: 1 });
  });

  it('project-limited admins rename their own project only, and cannot create or delete projects', async () => {
    const limited = await createKey(h, a, { kind: 'secret', scopes: ['admin'], projects: [a.projectIds[0]] });
    const own = await onDatabasePath(h, a, limited.key, `/v1/projects/${a.projectIds[0]}`, {
      method: 'PATCH',
      body: { name: 'first' },
    });
    expect(own.status).toBe(200);
    const other = await onDatabasePath(h, a, limited.key, `/v1/projects/${a.projectIds[1]}`, {
      method: 'PATCH',
      body: { name: 'taken' },
    });
    expect(other.status).toBe(404);
    const create = await onDatabasePath(h, a, limited.key, '/v1/projects', { body: { name: 'more' } });
    expect(await outcome(create)).toMatchObject({ status: 403, code: 'forbidden' });
    const remove = await onDatabasePath(h, a, limited.key, `/v1/projects/${a.projectIds[0]}`, { method: 'DELETE' });
    expect(await outcome(remove)).toMatchObject({ status: 403, code: 'forbidden' });
  });
});

describe('members (admin)', { timeout: 60_000 }, () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  const put = (tenant: TestTenant, projectId: string, userId: string, role: string, key?: string) =>
    key === undefined
      ? api(h, tenant, `/v1/projects/${projectId}/members/${userId}`, { method: 'PUT', body: { role } })
      : onDatabasePath(h, tenant, key, `/v1/projects/${projectId}/members/${userId}`, {
          method: 'PUT',
          body: { role },
        });

  it('adds, changes and removes a role; rolesOfUser follows at once', async () => {
    const added = await put(a, a.projectIds[0], 'alice', 'editor');
    expect(await json(added)).toMatchObject({ created: true, member: { userId: 'alice', role: 'editor' } });
    await put(a, a.projectIds[1], 'alice', 'viewer');
    expect(await rolesIn(a.id, 'alice')).toEqual(
      [
        { projectId: a.projectIds[0], role: 'editor' },
        { projectId: a.projectIds[1], role: 'viewer' },
      ].sort((x, y) => x.projectId.localeCompare(y.projectId)),
    );
    const changed = await put(a, a.projectIds[0], 'alice', 'admin');
    expect(await json(changed)).toMatchObject({ created: false, member: { role: 'admin' } });
    const listed = await json<{ members: { userId: string; role: string }[] }>(
      await api(h, a, `/v1/projects/${a.projectIds[0]}/members`),
    );
    expect(listed.members).toEqual([expect.objectContaining({ userId: 'alice', role: 'admin' })]);
    const removed = await api(h, a, `/v1/projects/${a.projectIds[0]}/members/alice`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await rolesIn(a.id, 'alice')).toEqual([{ projectId: a.projectIds[1], role: 'viewer' }]);
  });

  it('refuses an unknown role, and another tenant or project reaches no membership', async () => {
    expect((await put(a, a.projectIds[0], 'bob', 'superuser')).status).toBe(400);
    await put(a, a.projectIds[0], 'bob', 'viewer');
    // Tenant B: A's project is not there, for adding, listing and removing alike.
    expect((await put(b, a.projectIds[0], 'bob', 'owner')).status).toBe(404);
    expect((await api(h, b, `/v1/projects/${a.projectIds[0]}/members`)).status).toBe(404);
    await api(h, b, `/v1/projects/${a.projectIds[0]}/members/bob`, { method: 'DELETE' });
    expect(await rolesIn(a.id, 'bob')).toEqual([{ projectId: a.projectIds[0], role: 'viewer' }]);
    expect(await rolesIn(b.id, 'bob')).toEqual([]);
    // An admin limited to the second project manages that project's members only.
    const limited = await createKey(h, a, { kind: 'secret', scopes: ['admin'], projects: [a.projectIds[1]] });
    expect((await put(a, a.projectIds[1], 'carol', 'editor', limited.key)).status).toBe(200);
    expect((await put(a, a.projectIds[0], 'bob', 'owner', limited.key)).status).toBe(404);
    expect(await rolesIn(a.id, 'bob')).toEqual([{ projectId: a.projectIds[0], role: 'viewer' }]);
    // Without the admin scope: 403, nothing changed.
    const readOnly = await api(h, a, `/v1/projects/${a.projectIds[0]}/members/bob`, {
      method: 'PUT',
      body: { role: 'owner' },
      key: 'readOnly',
    });
    expect(await outcome(readOnly)).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await rolesIn(a.id, 'bob')).toEqual([{ projectId: a.projectIds[0], role: 'viewer' }]);
  });
});
