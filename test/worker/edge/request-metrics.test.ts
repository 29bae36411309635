// Per-tenant request metrics through the whole app (issue 13 §5): each request's Analytics Engine
// data point and log line name the tenant that was resolved, the route pattern and the status, and
// nothing that identifies the caller. Miniflare drops writeDataPoint, so a fake REQUEST_METRICS
// passed as a binding records what the middleware wrote.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NO_ROUTE, NO_TENANT_INDEX } from '../../../src/http/request-metrics.ts';
import { api, createHarness, type Harness, type TestTenant } from '../api/harness.ts';
import { ingestedDocument } from '../api/resources.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let bDocument: string;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
  bDocument = await ingestedDocument(h, b);
});

afterEach(() => vi.restoreAllMocks());

function recorder() {
  const points: AnalyticsEngineDataPoint[] = [];
  const binding = { writeDataPoint: (point?: AnalyticsEngineDataPoint) => point && points.push(point) };
  return { points, bindings: { REQUEST_METRICS: binding } };
}

/** The request log lines console.log received, parsed. */
function requestLines(log: { mock: { calls: unknown[][] } }) {
  return log.mock.calls
    .map(([line]) => (typeof line === 'string' && line.startsWith('{') ? JSON.parse(line) : null))
    .filter((line) => line?.event === 'request');
}

describe('request metrics', () => {
  it("writes a tenant's request under its own id and the route pattern, never another tenant's id", async () => {
    const metrics = recorder();
    const res = await api(h, a, '/v1/whoami', { bindings: metrics.bindings });
    expect(res.status).toBe(200);
    expect(metrics.points).toHaveLength(1);
    const [point] = metrics.points;
    expect(point?.indexes).toEqual([a.id]);
    expect(point?.blobs?.slice(0, 2)).toEqual(['/v1/whoami', 'GET']);
    expect(point?.doubles?.[0]).toBe(200);
    expect(JSON.stringify(point)).not.toContain(b.id);
  });

  it("records A's 404 for B's document under A, with the pattern and not the id", async () => {
    const metrics = recorder();
    const log = vi.spyOn(console, 'log');
    const res = await api(h, a, `/v1/documents/${bDocument}`, { bindings: metrics.bindings });
    expect(res.status).toBe(404);
    const [point] = metrics.points;
    expect(point?.indexes).toEqual([a.id]);
    expect(point?.blobs?.[0]).toBe('/v1/documents/:id');
    expect(point?.doubles?.[0]).toBe(404);
    const [line] = requestLines(log);
    expect(line).toMatchObject({ tenantId: a.id, route: '/v1/documents/:id', status: 404, projectId: null });
    for (const leaked of [b.id, bDocument]) {
      expect(JSON.stringify(point)).not.toContain(leaked);
      expect(JSON.stringify(line)).not.toContain(leaked);
    }
  });

  it('logs a widget request with its one project and none of key, Origin, widget user or query', async () => {
    const log = vi.spyOn(console, 'log');
    const metrics = recorder();
    const widgetUser = `wu_${'w'.repeat(43)}.${'u'.repeat(43)}`;
    const conversation = crypto.randomUUID();
    const res = await api(h, a, `/v1/conversations/${conversation}?q=querysecret123`, {
      key: 'publishable',
      headers: { 'x-widget-user': widgetUser, 'cf-connecting-ip': '203.0.113.77' },
      bindings: metrics.bindings,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const lines = requestLines(log);
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(Object.keys(line).sort()).toEqual(
      ['level', 'event', 'requestId', 'tenantId', 'projectId', 'route', 'method', 'status', 'ms'].sort(),
    );
    expect(line).toMatchObject({
      level: 'info',
      tenantId: a.id,
      projectId: a.projectIds[0],
      route: '/v1/conversations/:id',
      method: 'GET',
      status: res.status,
    });
    expect(line.requestId).toBe(res.headers.get('x-request-id'));
    const [point] = metrics.points;
    expect(point?.blobs).toEqual(['/v1/conversations/:id', 'GET', a.projectIds[0], 'publishable_key']);
    for (const leaked of [a.keys.publishable, a.origin, widgetUser, 'querysecret123', '203.0.113.77', conversation]) {
      expect(JSON.stringify(line)).not.toContain(leaked);
      expect(JSON.stringify(point)).not.toContain(leaked);
    }
  });

  it("records a 401 before any tenant with tenantId null and index '-'", async () => {
    const log = vi.spyOn(console, 'log');
    const metrics = recorder();
    const res = await api(h, a, '/v1/whoami', { key: 'none', bindings: metrics.bindings });
    expect(res.status).toBe(401);
    expect(metrics.points[0]?.indexes).toEqual([NO_TENANT_INDEX]);
    expect(metrics.points[0]?.blobs?.[0]).toBe('/v1/whoami');
    expect(requestLines(log)[0]).toMatchObject({ tenantId: null, projectId: null, status: 401 });
  });

  it('records /healthz and unknown paths by pattern, with no tenant for /healthz', async () => {
    const metrics = recorder();
    const health = await h.app.request(`https://${env.API_HOST}/healthz`, {}, { ...env, ...metrics.bindings });
    expect(health.status).toBe(200);
    const unknown = await api(h, a, '/v1/no/such/path/123', { bindings: metrics.bindings });
    expect(unknown.status).toBe(404);
    expect(metrics.points.map((point) => [point.indexes?.[0], point.blobs?.[0], point.doubles?.[0]])).toEqual([
      [NO_TENANT_INDEX, '/healthz', 200],
      [a.id, NO_ROUTE, 404],
    ]);
  });

  it('answers exactly the same when the binding throws', async () => {
    const throwing = {
      REQUEST_METRICS: {
        writeDataPoint: () => {
          throw new Error('analytics engine down');
        },
      },
    };
    for (const path of ['/v1/whoami', `/v1/documents/${bDocument}`]) {
      const plain = await api(h, a, path);
      const res = await api(h, a, path, { bindings: throwing });
      expect(res.status).toBe(plain.status);
      const strip = (body: string) => body.replace(/"requestId":"[^"]+"/, '');
      expect(strip(await res.text())).toBe(strip(await plain.text()));
    }
  });
});
