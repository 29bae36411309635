// Every /v1 route, each through the shared isolation suite (test/worker/api/isolation-suite.ts).
// A new route is covered by adding one describeTenantIsolation call here.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { api, type Harness, json, type TestTenant } from './harness.ts';
import { coveredRoutes, describeTenantIsolation } from './isolation-suite.ts';
import { ingestedDocument, uploadedDocument, widgetConversation, widgetUserOf } from './resources.ts';

const uuid = () => crypto.randomUUID();
const newDocument = (projectId: string) => ({
  title: 'New',
  filename: 'new.txt',
  contentType: 'text/plain',
  sizeBytes: 10,
  projectId,
});

describeTenantIsolation({
  route: 'POST /v1/documents',
  scope: 'documents:write',
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: ({ projectId }) => ({ path: '/v1/documents', body: newDocument(projectId) }),
  okStatus: 201,
});

describeTenantIsolation({
  route: 'GET /v1/documents',
  scope: 'documents:read',
  prepare: async (h, a) => ({ projectId: a.projectIds[0], documentId: await ingestedDocument(h, a) }),
  random: () => ({ projectId: uuid(), documentId: uuid() }),
  request: ({ projectId }) => ({ path: `/v1/documents?projectId=${projectId}` }),
  okStatus: 200,
});

for (const [suffix, method, okStatus] of [
  ['', 'GET', 200],
  ['/download', 'GET', 200],
  ['/complete', 'POST', 202],
] as const) {
  describeTenantIsolation({
    route: `${method} /v1/documents/:id${suffix}`,
    scope: method === 'GET' ? 'documents:read' : 'documents:write',
    prepare: async (h, a) => ({ id: await uploadedDocument(h, a) }),
    random: () => ({ id: uuid() }),
    request: ({ id }) => ({ path: `/v1/documents/${id}${suffix}` }),
    okStatus,
  });
}

describeTenantIsolation({
  route: 'DELETE /v1/documents/:id',
  scope: 'documents:write',
  prepare: async (h, a) => ({ id: await ingestedDocument(h, a) }),
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/documents/${id}` }),
  okStatus: 204,
  stillThere: async (h, a, { id }) => {
    expect((await api(h, a, `/v1/documents/${id}`)).status).toBe(200);
  },
});

describeTenantIsolation({
  route: 'POST /v1/ingest',
  scope: 'documents:write',
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: ({ projectId }) => ({
    path: '/v1/ingest',
    body: { source: 'web', title: 'Page', text: 'Some text.', projectId },
  }),
  okStatus: 201,
});

describeTenantIsolation({
  route: 'POST /v1/query',
  scope: 'retrieval',
  widget: true,
  prepare: async (h, a) => ({ projectId: a.projectIds[0], documentId: await ingestedDocument(h, a) }),
  random: () => ({ projectId: uuid(), documentId: uuid() }),
  request: ({ projectId }) => ({ path: '/v1/query', body: { query: 'answers questions', topK: 3, projectId } }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'POST /v1/conversations',
  scope: 'chat',
  widget: true,
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: ({ projectId }) => ({ path: '/v1/conversations', body: { projectId } }),
  okStatus: 201,
});

const asWidgetUser = (widgetUser: string) => ({ 'x-widget-user': widgetUser });

/**
 * Tenant A's widget conversation (after an ingested document, for routes that answer from one).
 * `random` pairs a fresh id with a widget user validly signed for tenant B that owns nothing, so B's
 * answer for A's conversation and A's widget user is compared with B's answer for a real, unknown one.
 */
function widgetConversationCase(withDocument: boolean) {
  let unknownOfB = '';
  return {
    prepare: async (h: Harness, a: TestTenant) => {
      unknownOfB = await widgetUserOf(h.tenants.find((t) => t.id !== a.id) as TestTenant);
      if (withDocument) await ingestedDocument(h, a);
      return widgetConversation(h, a);
    },
    random: () => ({ id: uuid(), widgetUser: unknownOfB }),
  };
}

describeTenantIsolation({
  route: 'GET /v1/conversations/:id',
  scope: 'chat',
  widget: true,
  ...widgetConversationCase(false),
  request: ({ id, widgetUser }) => ({ path: `/v1/conversations/${id}`, headers: asWidgetUser(widgetUser) }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'POST /v1/conversations/:id/messages',
  scope: 'chat',
  widget: true,
  ...widgetConversationCase(true),
  request: ({ id, widgetUser }) => ({
    path: `/v1/conversations/${id}/messages`,
    headers: asWidgetUser(widgetUser),
    body: { content: 'What answers questions?' },
  }),
  okStatus: 201,
});

// Routes any credential of the tenant may call: no scope, so no 403 case; B's answer must carry
// nothing of A (A's id and A's project ids are the strings checked).
describeTenantIsolation({
  route: 'GET /v1/whoami',
  widget: true,
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: () => ({ path: '/v1/whoami' }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'GET /v1/projects',
  widget: true,
  prepare: async (_h, a) => ({ first: a.projectIds[0], second: a.projectIds[1] }),
  random: () => ({ first: uuid(), second: uuid() }),
  request: () => ({ path: '/v1/projects' }),
  okStatus: 200,
});

// The tenant admin API (test/worker/admin/ holds its behaviour; these are its isolation cases).
const adminProject = async (h: Harness, a: TestTenant) => {
  const res = await api(h, a, '/v1/projects', { body: { name: `admin ${a.canary}` } });
  expect(res.status, await res.clone().text()).toBe(201);
  return { id: (await json<{ id: string }>(res)).id };
};
const adminKey = async (h: Harness, a: TestTenant) => {
  const body = { kind: 'secret', scopes: ['documents:read'], projects: [a.projectIds[0]] };
  const res = await api(h, a, '/v1/api-keys', { body });
  expect(res.status, await res.clone().text()).toBe(201);
  return { id: (await json<{ apiKey: { id: string } }>(res)).apiKey.id };
};
const keyIsActive = async (h: Harness, a: TestTenant, { id }: { id: string }) => {
  const { apiKeys } = await json<{ apiKeys: { id: string; state: string }[] }>(await api(h, a, '/v1/api-keys'));
  expect(apiKeys.find((key) => key.id === id)?.state).toBe('active');
};
const member = async (h: Harness, a: TestTenant) => {
  const userId = `user-${uuid()}`;
  const res = await api(h, a, `/v1/projects/${a.projectIds[0]}/members/${userId}`, {
    method: 'PUT',
    body: { role: 'editor' },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return { projectId: a.projectIds[0], userId };
};

describeTenantIsolation({
  route: 'POST /v1/projects',
  scope: 'admin',
  prepare: async () => ({}),
  random: () => ({}),
  request: () => ({ path: '/v1/projects', body: { name: 'New project' } }),
  okStatus: 201,
});

describeTenantIsolation({
  route: 'PATCH /v1/projects/:id',
  scope: 'admin',
  prepare: adminProject,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/projects/${id}`, body: { name: 'Renamed' } }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'DELETE /v1/projects/:id',
  scope: 'admin',
  prepare: adminProject,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/projects/${id}` }),
  okStatus: 200,
  stillThere: async (h, a, { id }) => {
    const { projects } = await json<{ projects: { id: string }[] }>(await api(h, a, '/v1/projects'));
    expect(projects.map((project) => project.id)).toContain(id);
  },
});

describeTenantIsolation({
  route: 'GET /v1/projects/:id/members',
  scope: 'admin',
  prepare: member,
  random: () => ({ projectId: uuid(), userId: `user-${uuid()}` }),
  request: ({ projectId }) => ({ path: `/v1/projects/${projectId}/members` }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'PUT /v1/projects/:id/members/:userId',
  scope: 'admin',
  prepare: async (_h, a) => ({ projectId: a.projectIds[0], userId: `user-${uuid()}` }),
  random: () => ({ projectId: uuid(), userId: `user-${uuid()}` }),
  request: ({ projectId, userId }) => ({
    path: `/v1/projects/${projectId}/members/${userId}`,
    body: { role: 'viewer' },
  }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'DELETE /v1/projects/:id/members/:userId',
  scope: 'admin',
  prepare: member,
  random: () => ({ projectId: uuid(), userId: `user-${uuid()}` }),
  request: ({ projectId, userId }) => ({ path: `/v1/projects/${projectId}/members/${userId}` }),
  okStatus: 204,
  stillThere: async (h, a, { projectId, userId }) => {
    const { members } = await json<{ members: { userId: string }[] }>(
      await api(h, a, `/v1/projects/${projectId}/members`),
    );
    expect(members.map((m) => m.userId)).toContain(userId);
  },
});

describeTenantIsolation({
  route: 'GET /v1/api-keys',
  scope: 'admin',
  prepare: adminKey,
  random: () => ({ id: uuid() }),
  request: () => ({ path: '/v1/api-keys' }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'POST /v1/api-keys',
  scope: 'admin',
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: ({ projectId }) => ({
    path: '/v1/api-keys',
    body: { kind: 'secret', scopes: ['documents:read'], projects: [projectId] },
  }),
  okStatus: 201,
});

describeTenantIsolation({
  route: 'DELETE /v1/api-keys/:id',
  scope: 'admin',
  prepare: adminKey,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/api-keys/${id}` }),
  okStatus: 204,
  stillThere: keyIsActive,
});

describeTenantIsolation({
  route: 'POST /v1/api-keys/:id/reroll',
  scope: 'admin',
  prepare: adminKey,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/api-keys/${id}/reroll`, body: { overlapSeconds: 60 } }),
  okStatus: 201,
  stillThere: keyIsActive,
});

describeTenantIsolation({
  route: 'GET /v1/audit-events',
  scope: 'admin',
  prepare: async (h, a) => ({ documentId: await ingestedDocument(h, a) }),
  random: () => ({ documentId: uuid() }),
  request: () => ({ path: '/v1/audit-events?limit=100' }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'GET /v1/conversations',
  scope: 'admin',
  prepare: async (h, a) => ({ projectId: a.projectIds[0], id: (await widgetConversation(h, a)).id }),
  random: () => ({ projectId: uuid(), id: uuid() }),
  request: ({ projectId }) => ({ path: `/v1/conversations?projectId=${projectId}` }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'DELETE /v1/conversations/:id',
  scope: 'admin',
  prepare: async (h, a) => ({ id: (await widgetConversation(h, a)).id }),
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/conversations/${id}` }),
  okStatus: 204,
  stillThere: async (h, a, { id }) => {
    const { conversations } = await json<{ conversations: { id: string }[] }>(await api(h, a, '/v1/conversations'));
    expect(conversations.map((conversation) => conversation.id)).toContain(id);
  },
});

describeTenantIsolation({
  route: 'GET /v1/usage',
  scope: 'admin',
  prepare: async (h, a) => ({ documentId: await ingestedDocument(h, a) }),
  random: () => ({ documentId: uuid() }),
  request: () => ({ path: '/v1/usage?days=2' }),
  okStatus: 200,
});

// Erasure, export and jobs (test/worker/erasure/, test/worker/export/ hold their behaviour).
const endUserJob = async (h: Harness, a: TestTenant) => {
  const res = await api(h, a, '/v1/erasure/end-users', { body: { endUserId: `user:${a.canary}` } });
  expect(res.status, await res.clone().text()).toBe(202);
  return { id: (await json<{ job: { id: string } }>(res)).job.id };
};
const exportJob = async (h: Harness, a: TestTenant) => {
  const res = await api(h, a, '/v1/exports', { body: { projectId: a.projectIds[0] } });
  expect(res.status, await res.clone().text()).toBe(202);
  return { id: (await json<{ job: { id: string } }>(res)).job.id };
};

describeTenantIsolation({
  route: 'POST /v1/erasure',
  scope: 'admin',
  // The body names the tenant to erase: A's id from B is the 404 of an id that is no tenant.
  prepare: async (_h, a) => ({ confirmTenantId: a.id }),
  random: () => ({ confirmTenantId: uuid() }),
  request: (body) => ({ path: '/v1/erasure', body }),
  okStatus: 202,
});

describeTenantIsolation({
  route: 'POST /v1/erasure/end-users',
  scope: 'admin',
  prepare: async (_h, a) => ({ endUserId: `user:${a.canary}` }),
  random: () => ({ endUserId: `user:${uuid()}` }),
  request: (body) => ({ path: '/v1/erasure/end-users', body }),
  okStatus: 202,
});

describeTenantIsolation({
  route: 'GET /v1/jobs/:id',
  scope: 'admin',
  prepare: endUserJob,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/jobs/${id}` }),
  okStatus: 200,
});

describeTenantIsolation({
  route: 'POST /v1/exports',
  scope: 'admin',
  prepare: async (_h, a) => ({ projectId: a.projectIds[0] }),
  random: () => ({ projectId: uuid() }),
  request: (body) => ({ path: '/v1/exports', body }),
  okStatus: 202,
});

describeTenantIsolation({
  route: 'GET /v1/exports/:id',
  scope: 'admin',
  prepare: exportJob,
  random: () => ({ id: uuid() }),
  request: ({ id }) => ({ path: `/v1/exports/${id}` }),
  okStatus: 200,
});

// The part nobody can forget: a route in the app's own table without a case above fails here.
describe('the isolation suite covers the route table', () => {
  it('every /v1 route has a describeTenantIsolation case, and every case is a real route', () => {
    const routes = new Set(
      createApp()
        .routes.filter((route) => route.method !== 'ALL' && route.path.startsWith('/v1/'))
        .map((route) => `${route.method} ${route.path}`),
    );
    expect([...routes].filter((route) => !coveredRoutes.has(route)).sort()).toEqual([]);
    expect([...coveredRoutes].filter((route) => !routes.has(route)).sort()).toEqual([]);
  });
});
