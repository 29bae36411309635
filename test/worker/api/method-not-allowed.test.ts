// Unsupported methods on a path that exists answer 405 with Allow, in the envelope, through the
// whole app and its real route table; unknown paths keep the generic 404.
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedMethods } from '../../../src/http/method-not-allowed.ts';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';

describe('405 with Allow', () => {
  let h: Harness;
  let a: TestTenant;
  beforeAll(async () => {
    h = await createHarness(1);
    [a] = h.tenants as [TestTenant];
  });

  it('lists the methods a path answers, HEAD with GET', () => {
    const routes = [
      { pattern: /^\/v1\/documents\/[^/]+\/?$/, method: 'GET' },
      { pattern: /^\/v1\/documents\/[^/]+\/?$/, method: 'DELETE' },
    ];
    expect(allowedMethods(routes, '/v1/documents/abc')).toEqual(['DELETE', 'GET', 'HEAD']);
    expect(allowedMethods(routes, '/v1/documents/abc/def')).toEqual([]);
  });

  it('PUT on a document → 405 with Allow and the envelope', async () => {
    const res = await api(h, a, `/v1/documents/${crypto.randomUUID()}`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = await json<{ error: { code: string; requestId: string } }>(res);
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.requestId).not.toBe('');
  });

  it('GET on a POST-only route → 405 Allow: POST', async () => {
    const res = await api(h, a, '/v1/query');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('an unknown path → 404 without Allow, whatever the method', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await api(h, a, '/v1/nothing-here', { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    }
  });

  it('no credentials: 401 before any route is revealed', async () => {
    const res = await api(h, a, `/v1/documents/${crypto.randomUUID()}`, { method: 'PUT', key: 'none' });
    expect(res.status).toBe(401);
  });
});
