// Every operator route (issue 13 "Isolation and tests"): the route table under /operator/v1 is
// walked, and a route without a case below fails the test. Each case proves, on that route, that
// (1) a tenant's own credentials are refused (401), and (2) acting on tenant A leaves tenant B as
// it was: B's row, its audit rows, and no id or slug of B's in the answer (list-wide routes name
// no tenant data beyond control-plane fields, which the case checks instead).
import { env } from 'cloudflare:workers';
import { neon } from '@neondatabase/serverless';
import { beforeAll, describe, expect, it } from 'vitest';
import { devOperatorKey } from '../../../local/dev-keys.ts';
import { createApp } from '../../../src/app.ts';
import { demoTenant, tenantUrl } from '../edge/harness.ts';
import { adminSettings } from '../helpers/settings.ts';

interface Target {
  id: string;
  slug: string;
}
interface Case {
  /** The request on tenant `a`. */
  request: (a: Target) => { method: string; path: string; body?: unknown };
  /** Statuses the operator gets for it (the case's own success, or a refusal that is the point). */
  ok: number[];
  /** List-wide route: the answer may name other tenants, with these fields only. */
  listFields?: string[];
}

const LIMITS = { requestsPerMinute: 600, burst: 100, maxDocuments: 10, maxUploadBytes: 1000, maxTopK: 5 };

const CASES: Record<string, Case> = {
  'POST /operator/v1/tenants': {
    request: () => ({
      method: 'POST',
      path: '/operator/v1/tenants',
      body: { slug: `iso${crypto.randomUUID().slice(0, 8)}`, name: 'Isolation', limits: LIMITS },
    }),
    ok: [201],
  },
  'GET /operator/v1/tenants': {
    request: () => ({ method: 'GET', path: '/operator/v1/tenants?limit=1000' }),
    ok: [200],
    listFields: ['id', 'locked', 'name', 'slug', 'status'],
  },
  'GET /operator/v1/tenants/:id': {
    request: (a) => ({ method: 'GET', path: `/operator/v1/tenants/${a.id}` }),
    ok: [200],
  },
  'PATCH /operator/v1/tenants/:id': {
    request: (a) => ({ method: 'PATCH', path: `/operator/v1/tenants/${a.id}`, body: { name: 'Renamed by isolation' } }),
    ok: [200],
  },
  'POST /operator/v1/tenants/:id/suspend': {
    request: (a) => ({ method: 'POST', path: `/operator/v1/tenants/${a.id}/suspend` }),
    ok: [200],
  },
  'POST /operator/v1/tenants/:id/resume': {
    request: (a) => ({ method: 'POST', path: `/operator/v1/tenants/${a.id}/resume` }),
    ok: [200],
  },
  'POST /operator/v1/tenants/:id/lock': {
    request: (a) => ({ method: 'POST', path: `/operator/v1/tenants/${a.id}/lock` }),
    ok: [200],
  },
  'POST /operator/v1/tenants/:id/unlock': {
    request: (a) => ({ method: 'POST', path: `/operator/v1/tenants/${a.id}/unlock` }),
    ok: [200],
  },
  'GET /operator/v1/platform/maintenance': {
    request: () => ({ method: 'GET', path: '/operator/v1/platform/maintenance' }),
    ok: [200],
  },
  'PUT /operator/v1/platform/maintenance': {
    // Only ever "off" here: the switch is shared by every test file running beside this one.
    request: () => ({ method: 'PUT', path: '/operator/v1/platform/maintenance', body: { maintenance: false } }),
    ok: [200],
  },
  'POST /operator/v1/tenants/:id/erasure': {
    // Never started on a real tenant here: a random id is the 404 that shows it names one tenant.
    request: () => ({ method: 'POST', path: `/operator/v1/tenants/${crypto.randomUUID()}/erasure` }),
    ok: [404],
  },
  'GET /operator/v1/tenants/:id/jobs/:jobId': {
    request: (a) => ({ method: 'GET', path: `/operator/v1/tenants/${a.id}/jobs/${crypto.randomUUID()}` }),
    ok: [404],
  },
  'GET /operator/v1/usage': {
    request: () => ({ method: 'GET', path: '/operator/v1/usage?limit=1000' }),
    ok: [200],
    listFields: ['chunks', 'conversations', 'documents', 'liveApiKeys', 'messages', 'storedBytes', 'tenantId'],
  },
};

const app = createApp();
const admin = () => neon(adminSettings().DATABASE_URL);
let operatorKey: string;
let a: Target;
let b: Target;

async function send(request: { method: string; path: string; body?: unknown }, authorization: string) {
  return app.request(
    tenantUrl(request.path),
    {
      method: request.method,
      headers: { authorization, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      body: request.body ? JSON.stringify(request.body) : undefined,
    },
    env,
  );
}

async function newTenant(): Promise<Target> {
  const slug = `iso${crypto.randomUUID().slice(0, 8)}`;
  const res = await send(
    { method: 'POST', path: '/operator/v1/tenants', body: { slug, name: slug, limits: LIMITS } },
    `Bearer ${operatorKey}`,
  );
  expect(res.status).toBe(201);
  return { id: ((await res.json()) as { tenant: { id: string } }).tenant.id, slug };
}

const snapshot = async (t: Target) => ({
  row: await admin()`select name, status, locked, updated_at from tenants where id = ${t.id}`,
  audit: await admin()`select count(*)::int as n from audit_events where tenant_id = ${t.id}`,
});

beforeAll(async () => {
  operatorKey = await devOperatorKey('operator');
  [a, b] = [await newTenant(), await newTenant()];
});

describe('operator routes', () => {
  it('every operator route in the app has an isolation case here', () => {
    const routes = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/operator/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...routes].filter((route) => !(route in CASES)).sort()).toEqual([]);
    expect(routes.size).toBeGreaterThanOrEqual(Object.keys(CASES).length);
  });

  for (const [route, testCase] of Object.entries(CASES)) {
    it(`${route}: refuses tenant credentials, and acting on A leaves B as it was`, async () => {
      const acme = await demoTenant('acme');
      for (const credential of [`Bearer ${acme.secretKey}`, `Bearer ${acme.publishableKey}`]) {
        expect((await send(testCase.request(a), credential)).status).toBe(401);
      }
      const before = await snapshot(b);
      const res = await send(testCase.request(a), `Bearer ${operatorKey}`);
      expect(testCase.ok).toContain(res.status);
      const text = await res.text();
      if (testCase.listFields) {
        const body = JSON.parse(text) as Record<string, Array<Record<string, unknown>>>;
        const items = body.tenants ?? [];
        for (const item of items) expect(Object.keys(item).sort()).toEqual(testCase.listFields);
      } else {
        expect(text).not.toContain(b.id);
        expect(text).not.toContain(b.slug);
      }
      expect(await snapshot(b)).toEqual(before);
    });
  }
});
