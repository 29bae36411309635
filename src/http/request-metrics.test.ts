// requestMetrics alone: the pure builders of the data point and the log line, and the middleware
// writing them once the status is known, through a fake REQUEST_METRICS passed as a binding.
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { ApiError } from '../domain/api-error.ts';
import { type TenantContext, toTenantId } from '../tenancy/context.ts';
import type { AppEnv } from './app-env.ts';
import {
  matchedRoutePattern,
  NO_ROUTE,
  NO_TENANT_INDEX,
  type RequestRecord,
  recordedMethod,
  recordedProject,
  requestDataPoint,
  requestLogLine,
  requestMetrics,
} from './request-metrics.ts';

const TENANT = '20000000-0000-4000-8000-000000000001';
const PROJECT = '20000000-0000-4000-8000-0000000000aa';
const record: RequestRecord = {
  requestId: 'req-1',
  tenantId: TENANT,
  projectId: PROJECT,
  route: '/v1/documents/:id',
  method: 'GET',
  status: 404,
  ms: 12,
};

const tenantContext = (projectIds: TenantContext['projectIds']): TenantContext => ({
  tenantId: toTenantId(TENANT),
  projectIds,
  principal: { kind: 'publishable_key', id: 'wu_widget-user-id' },
  scopes: new Set(['chat']),
  features: {},
  limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 1 },
});

function fakeMetrics() {
  const writeDataPoint = vi.fn<(point?: AnalyticsEngineDataPoint) => void>();
  return { binding: { writeDataPoint } as AnalyticsEngineDataset, writeDataPoint };
}

/** requestMetrics with a tenant set by hand, and routes that answer, 404 and throw. */
function metricsApp(tenant?: TenantContext) {
  const routes = new Hono<AppEnv>()
    .get('/things/:id', (c) => c.json({ id: c.req.param('id') }))
    .get('/missing/:id', () => {
      throw new ApiError('not_found', 'Not found');
    })
    .get('/broken', () => {
      throw new Error('boom');
    });
  const app = appWith(requestMetrics(), async (c, next) => {
    if (tenant) c.set('tenant', tenant);
    await next();
  });
  app.route('/', routes);
  return app;
}

afterEach(() => vi.restoreAllMocks());

describe('requestDataPoint', () => {
  it('indexes by tenant id and lays out route, method, project, kind, status and ms', () => {
    expect(requestDataPoint(record, 'secret_key')).toEqual({
      indexes: [TENANT],
      blobs: ['/v1/documents/:id', 'GET', PROJECT, 'secret_key'],
      doubles: [404, 12],
    });
  });

  it("indexes a request with no tenant under '-'", () => {
    const point = requestDataPoint({ ...record, tenantId: null, projectId: null });
    expect(point.indexes).toEqual([NO_TENANT_INDEX]);
    expect(point.blobs).toEqual(['/v1/documents/:id', 'GET', '', '']);
  });
});

describe('requestLogLine', () => {
  it('is one JSON object of exactly the recorded fields', () => {
    expect(JSON.parse(requestLogLine(record))).toEqual({ level: 'info', event: 'request', ...record });
  });
});

describe('record helpers', () => {
  it('attributes a project only when the principal reaches exactly one', () => {
    expect(recordedProject(undefined)).toBeNull();
    expect(recordedProject({ projectIds: 'all' })).toBeNull();
    expect(recordedProject({ projectIds: [] })).toBeNull();
    expect(recordedProject({ projectIds: [PROJECT, TENANT] })).toBeNull();
    expect(recordedProject({ projectIds: [PROJECT] })).toBe(PROJECT);
  });

  it('keeps standard methods and folds any other into OTHER', () => {
    expect(recordedMethod('get')).toBe('GET');
    expect(recordedMethod('DELETE')).toBe('DELETE');
    expect(recordedMethod('X-SECRET-123')).toBe('OTHER');
  });

  it('takes the last route registered for a method, past later catch-all middleware', () => {
    const all = (path: string) => ({ method: 'ALL', path });
    expect(matchedRoutePattern([all('*'), { method: 'GET', path: '/healthz' }, all('*')])).toBe('/healthz');
    expect(matchedRoutePattern([all('*'), all('/v1/x/*'), { method: 'GET', path: '/v1/x/:id' }])).toBe('/v1/x/:id');
    expect(matchedRoutePattern([all('*'), all('*')])).toBe(NO_ROUTE);
  });
});

describe('requestMetrics', () => {
  it('writes the route pattern, never the concrete path, with the tenant as index', async () => {
    const metrics = fakeMetrics();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const res = await send(
      metricsApp(tenantContext([PROJECT])),
      '/things/abc123?token=zzz',
      {},
      {
        REQUEST_METRICS: metrics.binding,
      },
    );
    expect(res.status).toBe(200);
    expect(metrics.writeDataPoint).toHaveBeenCalledTimes(1);
    const point = metrics.writeDataPoint.mock.calls[0]?.[0];
    expect(point?.indexes).toEqual([TENANT]);
    expect(point?.blobs).toEqual(['/things/:id', 'GET', PROJECT, 'publishable_key']);
    expect(point?.doubles?.[0]).toBe(200);
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({ event: 'request', tenantId: TENANT, route: '/things/:id', status: 200 });
    expect(line.requestId).toBe(res.headers.get('x-request-id'));
    for (const leaked of ['abc123', 'zzz', 'wu_widget-user-id']) {
      expect(JSON.stringify(point)).not.toContain(leaked);
      expect(JSON.stringify(line)).not.toContain(leaked);
    }
  });

  it('records the status onError answered with, for ApiErrors and unexpected throws', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const metrics = fakeMetrics();
    const app = metricsApp(tenantContext('all'));
    expect((await send(app, '/missing/1', {}, { REQUEST_METRICS: metrics.binding })).status).toBe(404);
    expect((await send(app, '/broken', {}, { REQUEST_METRICS: metrics.binding })).status).toBe(500);
    expect((await send(app, '/nowhere', {}, { REQUEST_METRICS: metrics.binding })).status).toBe(404);
    const points = metrics.writeDataPoint.mock.calls.map(([point]) => point);
    expect(points.map((point) => point?.doubles?.[0])).toEqual([404, 500, 404]);
    expect(points.map((point) => point?.blobs?.[0])).toEqual(['/missing/:id', '/broken', NO_ROUTE]);
    expect(points.map((point) => point?.blobs?.[2])).toEqual(['', '', '']);
  });

  it('records a request with no tenant under index - and tenantId null', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const metrics = fakeMetrics();
    await send(metricsApp(), '/things/1', {}, { REQUEST_METRICS: metrics.binding });
    expect(metrics.writeDataPoint.mock.calls[0]?.[0]?.indexes).toEqual([NO_TENANT_INDEX]);
    expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({ tenantId: null, projectId: null });
  });

  it('leaves the response as it is when the binding or the log throws', async () => {
    const app = metricsApp(tenantContext('all'));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const plain = await send(app, '/things/7');
    const throwing = {
      writeDataPoint: () => {
        throw new Error('analytics engine down');
      },
    } as AnalyticsEngineDataset;
    vi.spyOn(console, 'log').mockImplementation(() => {
      throw new Error('log sink down');
    });
    const res = await send(app, '/things/7', {}, { REQUEST_METRICS: throwing });
    expect(res.status).toBe(plain.status);
    expect(await res.json()).toEqual(await plain.json());
  });
});
