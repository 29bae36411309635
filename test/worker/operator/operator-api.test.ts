// The operator API (issue 13 §2, docs/threat-model.md T56): its own credential, refused to tenant
// credentials and refusing to work as one; tenants created, changed, suspended and locked at run
// time, with no deploy, each action under the tenant's own context and audited there; resolution,
// CORS and the database path all read the database-backed tenant, including one created here.
import { env } from 'cloudflare:workers';
import { neon } from '@neondatabase/serverless';
import { beforeAll, describe, expect, it } from 'vitest';
import { devOperatorKey } from '../../../local/dev-keys.ts';
import { createApp } from '../../../src/app.ts';
import { webSocketPool } from '../../../src/db/neon-client.ts';
import { call, demoTenant, tenantUrl } from '../edge/harness.ts';
import { adminSettings } from '../helpers/settings.ts';

let operatorKey: string;
let readonlyKey: string;
beforeAll(async () => {
  [operatorKey, readonlyKey] = await Promise.all([devOperatorKey('operator'), devOperatorKey('readonly')]);
});

const LIMITS = { requestsPerMinute: 6000, burst: 1000, maxDocuments: 100, maxUploadBytes: 1_000_000, maxTopK: 10 };

function operator(path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? operatorKey}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return call(`/operator/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

interface Created {
  tenant: { id: string; slug: string; status: string; locked: boolean; features: Record<string, boolean> };
  project: { id: string };
  apiKey: { key: string; keyId: string };
}

async function createTenantThroughApi(extra: Record<string, unknown> = {}): Promise<Created> {
  const slug = `op${crypto.randomUUID().slice(0, 8)}`;
  const res = await operator('/tenants', {
    body: {
      slug,
      name: `Operator-made ${slug}`,
      allowedOrigins: [`https://${slug}.example`],
      limits: LIMITS,
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}

/** A request with the tenant's key through a fresh app (a cold tenant cache), or through `app`. */
const asTenant = (
  key: string,
  path: string,
  init: { method?: string; body?: unknown; slug?: string } = {},
  app = createApp(),
) =>
  app.request(
    tenantUrl(path, init.slug),
    {
      method: init.method ?? 'GET',
      headers: { 'x-api-key': key, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    },
    env,
  );

const admin = () => neon(adminSettings().DATABASE_URL);

describe('operator credential', () => {
  it('refuses tenant credentials, no credential and malformed ones with 401', async () => {
    const acme = await demoTenant('acme');
    for (const authorization of [`Bearer ${acme.secretKey}`, `Bearer ${acme.publishableKey}`, 'Bearer op_short', '']) {
      const res = await call('/operator/v1/tenants', { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
    }
    const viaHeader = await call('/operator/v1/tenants', { headers: { 'x-api-key': operatorKey } });
    expect(viaHeader.status).toBe(401); // only Authorization: Bearer carries an operator key
  });

  it('is refused on every tenant route: an operator key is no tenant credential', async () => {
    for (const path of ['/v1/whoami', '/v1/documents', '/v1/projects']) {
      const res = await call(path, { slug: 'acme', headers: { authorization: `Bearer ${operatorKey}` } });
      expect(res.status, path).toBe(401);
    }
  });

  it('holds each key to its scopes: a read-only key lists but cannot create or change', async () => {
    expect((await operator('/tenants?limit=5', { key: readonlyKey })).status).toBe(200);
    const create = await operator('/tenants', { key: readonlyKey, body: { slug: 'nope', name: 'No', limits: LIMITS } });
    expect(create.status).toBe(403);
    const acme = await demoTenant('acme');
    expect((await operator(`/tenants/${acme.id}/suspend`, { key: readonlyKey, method: 'POST' })).status).toBe(403);
    expect(
      (await operator('/platform/maintenance', { key: readonlyKey, method: 'PUT', body: { maintenance: false } }))
        .status,
    ).toBe(403);
  });
});

describe('tenants at run time', () => {
  it('creates a tenant, its default project and a first secret key that works at once', async () => {
    const created = await createTenantThroughApi();
    expect(created.apiKey.key).toMatch(/^sk_/);
    const whoami = await asTenant(created.apiKey.key, '/v1/whoami');
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ tenantId: created.tenant.id });
    // On its own subdomain too, and its project is listed.
    expect((await asTenant(created.apiKey.key, '/v1/whoami', { slug: created.tenant.slug })).status).toBe(200);
    const projects = (await (await asTenant(created.apiKey.key, '/v1/projects')).json()) as {
      projects: { id: string }[];
    };
    expect(projects.projects.map((p) => p.id)).toEqual([created.project.id]);
    // A CORS preflight on its subdomain from its origin, read from its row.
    const preflight = await createApp().request(
      tenantUrl('/v1/documents', created.tenant.slug),
      {
        method: 'OPTIONS',
        headers: { origin: `https://${created.tenant.slug}.example`, 'access-control-request-method': 'POST' },
      },
      env,
    );
    expect(preflight.headers.get('access-control-allow-origin')).toBe(`https://${created.tenant.slug}.example`);
    // Audited under the new tenant, by the operator.
    const rows =
      await admin()`select actor_kind, actor_id from audit_events where tenant_id = ${created.tenant.id} and action = 'tenant.created'`;
    expect(rows).toEqual([{ actor_kind: 'operator', actor_id: 'dev-operator' }]);
  });

  it('refuses a taken slug (409) and a bad body naming the field (400)', async () => {
    const created = await createTenantThroughApi();
    const again = await operator('/tenants', { body: { slug: created.tenant.slug, name: 'Twin', limits: LIMITS } });
    expect(again.status).toBe(409);
    const bad = await operator('/tenants', { body: { slug: 'xn--evil', name: 'Bad', limits: LIMITS } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('slug');
  });

  it('lists control-plane fields only', async () => {
    const created = await createTenantThroughApi();
    let after: string | undefined;
    let found: Record<string, unknown> | undefined;
    for (let page = 0; page < 50 && !found; page++) {
      const res = await operator(`/tenants?limit=200${after ? `&after=${after}` : ''}`);
      const body = (await res.json()) as { tenants: Record<string, unknown>[]; nextAfter: string | null };
      found = body.tenants.find((t) => t.id === created.tenant.id);
      if (!body.nextAfter) break;
      after = body.nextAfter;
    }
    expect(found && Object.keys(found).sort()).toEqual(['id', 'locked', 'name', 'slug', 'status']);
  });

  it('a feature turned off reaches a new isolate at once and refuses the work (403 feature_disabled)', async () => {
    const created = await createTenantThroughApi();
    const document = {
      title: 'T',
      filename: 't.txt',
      contentType: 'text/plain',
      sizeBytes: 3,
      projectId: created.project.id,
    };
    expect((await asTenant(created.apiKey.key, '/v1/documents', { method: 'POST', body: document })).status).toBe(201);
    const patched = await operator(`/tenants/${created.tenant.id}`, {
      method: 'PATCH',
      body: { features: { chat: true, uploads: false } },
    });
    expect(patched.status).toBe(200);
    const refused = await asTenant(created.apiKey.key, '/v1/documents', { method: 'POST', body: document });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('feature_disabled');
  });

  it('suspend: refused at once on the database path even where the edge still has the tenant cached', async () => {
    const created = await createTenantThroughApi();
    const warm = createApp();
    expect((await asTenant(created.apiKey.key, '/v1/projects', {}, warm)).status).toBe(200); // cached as active
    expect((await operator(`/tenants/${created.tenant.id}/suspend`, { method: 'POST' })).status).toBe(200);
    const cached = await asTenant(created.apiKey.key, '/v1/projects', {}, warm);
    expect(cached.status).toBe(403); // bulkhead_auth.assert_tenant_serving, whatever the edge cached
    expect((await asTenant(created.apiKey.key, '/v1/whoami')).status).toBe(403); // a cold edge: its own lookup
    // Resume brings it back; a second resume is the same answer; suspend twice is idempotent too.
    expect((await operator(`/tenants/${created.tenant.id}/resume`, { method: 'POST' })).status).toBe(200);
    expect((await operator(`/tenants/${created.tenant.id}/resume`, { method: 'POST' })).status).toBe(200);
    expect((await asTenant(created.apiKey.key, '/v1/projects')).status).toBe(200);
  });

  it('lock: 503 maintenance with Retry-After, at once on the database path; unlock serves again', async () => {
    const created = await createTenantThroughApi();
    const warm = createApp();
    expect((await asTenant(created.apiKey.key, '/v1/projects', {}, warm)).status).toBe(200);
    expect((await operator(`/tenants/${created.tenant.id}/lock`, { method: 'POST' })).status).toBe(200);
    for (const res of [
      await asTenant(created.apiKey.key, '/v1/projects', {}, warm), // edge cache: unlocked; database: locked
      await asTenant(created.apiKey.key, '/v1/whoami'), // cold edge: locked
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('60');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('maintenance');
    }
    // The tenant's own widget can read why: the preflight passes and the 503 carries its origin.
    const origin = `https://${created.tenant.slug}.example`;
    const fromWidget = await createApp().request(
      tenantUrl('/v1/whoami', created.tenant.slug),
      { headers: { 'x-api-key': created.apiKey.key, origin } },
      env,
    );
    expect(fromWidget.status).toBe(503);
    expect(fromWidget.headers.get('access-control-allow-origin')).toBe(origin);
    // Another tenant is untouched.
    const acme = await demoTenant('acme');
    expect((await asTenant(acme.secretKey, '/v1/projects', {}, warm)).status).toBe(200);
    expect((await operator(`/tenants/${created.tenant.id}/unlock`, { method: 'POST' })).status).toBe(200);
    expect((await asTenant(created.apiKey.key, '/v1/projects', {}, warm)).status).toBe(200);
  });

  it('an unknown tenant id is 404 and writes nothing', async () => {
    const ghost = crypto.randomUUID();
    for (const [path, method, body] of [
      [`/tenants/${ghost}`, 'GET', undefined],
      [`/tenants/${ghost}`, 'PATCH', { name: 'Ghost' }],
      [`/tenants/${ghost}/lock`, 'POST', undefined],
      [`/tenants/${ghost}/suspend`, 'POST', undefined],
    ] as const) {
      expect((await operator(path, { method, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(await admin()`select count(*)::int as n from audit_events where tenant_id = ${ghost}`).toEqual([{ n: 0 }]);
  });
});

describe('maintenance switches', () => {
  it('the deploy-time MAINTENANCE var: 503 on tenant routes, /healthz says so, the operator API still works', async () => {
    const acme = await demoTenant('acme');
    const bindings = { MAINTENANCE: 'true' } as Partial<Env>;
    const res = await call('/v1/whoami', { headers: { 'x-api-key': acme.secretKey }, bindings });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('maintenance');
    expect(await (await call('/healthz', { bindings })).json()).toEqual({ status: 'ok', maintenance: true });
    const listed = await call('/operator/v1/tenants?limit=1', {
      headers: { authorization: `Bearer ${operatorKey}` },
      bindings,
    });
    expect(listed.status).toBe(200);
  });

  it('the platform switch: PUT and GET through the API; the resolver reads the row it writes', async () => {
    // Turned on only inside a transaction that is rolled back: other test files share this database.
    const pool = webSocketPool(adminSettings());
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('update platform_settings set maintenance = true where id');
      const resolved = await client.query("select * from bulkhead_auth.resolve_tenant(null, 'acme')");
      expect(resolved.rows[0]).toMatchObject({ platform_maintenance: true });
      expect((await client.query('select bulkhead_auth.platform_maintenance() as on')).rows).toEqual([{ on: true }]);
    } finally {
      await client.query('rollback');
      client.release();
      await pool.end();
    }
    const res = await operator('/platform/maintenance', { method: 'PUT', body: { maintenance: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ maintenance: false, deployTimeSwitch: false });
    expect((await operator('/platform/maintenance')).status).toBe(200);
  });
});
