// The isolation suite every /v1 route gets by one call to describeTenantIsolation. Two fresh
// tenants; tenant A owns a resource (`prepare`). Then: tenant B asking for it gets exactly what a
// random id gets and nothing of A; no credentials → 401; a credential without the route's scope →
// 403; a publishable key on a secret route → 403; another tenant's origin gets no
// Access-Control-Allow-Origin; and last (the route may be a DELETE) tenant A itself succeeds.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../../src/tenancy/context.ts';
import { api, createHarness, type Harness, type KeyName, outcome, type TestTenant } from './harness.ts';

export interface RouteRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface IsolationCase<Resource> {
  /** `METHOD /v1/path`, as documented. */
  route: string;
  /** Omitted: any credential of the tenant may call it (whoami, projects); no 403 case. */
  scope?: Scope;
  /** Called by the widget with a publishable key; otherwise a secret-key route. */
  widget?: boolean;
  /** Tenant A's resource, made through the API. */
  prepare: (harness: Harness, a: TestTenant) => Promise<Resource>;
  /** The same shape with fresh random ids: a resource that is simply not there. */
  random: (a: TestTenant) => Resource;
  request: (resource: Resource) => RouteRequest;
  /** What tenant A gets. */
  okStatus: number;
  /** For mutations: proves B's attempt left A's resource alone. */
  stillThere?: (harness: Harness, a: TestTenant, resource: Resource) => Promise<void>;
}

/** A key of the same tenant that lacks `scope` (the test tenants' keys: see harness.ts). */
const WITHOUT: Record<Scope, KeyName> = {
  chat: 'readOnly',
  retrieval: 'readOnly',
  'documents:read': 'chatOnly',
  'documents:write': 'readOnly',
  admin: 'readOnly',
};

/** Every route given a case so far, as `METHOD /path` (routes-isolation.test.ts checks the table). */
export const coveredRoutes = new Set<string>();

export function describeTenantIsolation<Resource>(route: IsolationCase<Resource>): void {
  coveredRoutes.add(route.route);
  const method = route.route.split(' ')[0] as string;
  describe(`isolation: ${route.route}`, () => {
    let h: Harness;
    let a: TestTenant;
    let b: TestTenant;
    let resource: Resource;
    const key: KeyName = route.widget ? 'publishable' : 'secret';
    const send = (
      tenant: TestTenant,
      target: RouteRequest,
      overrides: { key?: KeyName | 'none'; origin?: string } = {},
    ) => api(h, tenant, target.path, { method, body: target.body, headers: target.headers, key, ...overrides });

    beforeAll(async () => {
      h = await createHarness(2);
      [a, b] = h.tenants as [TestTenant, TestTenant];
      resource = await route.prepare(h, a);
    });

    it("tenant B gets exactly what a random id gets, and nothing of tenant A's", async () => {
      const theirs = await send(b, route.request(resource));
      const text = await theirs.clone().text();
      const missing = await send(b, route.request(route.random(a)));
      expect(await outcome(theirs)).toEqual(await outcome(missing));
      for (const secret of [
        a.id,
        a.canary,
        ...Object.values(resource as object).filter((v) => typeof v === 'string'),
      ]) {
        expect(text).not.toContain(secret);
      }
      await route.stillThere?.(h, a, resource);
    });

    it('no credentials → 401', async () => {
      expect((await send(a, route.request(resource), { key: 'none' })).status).toBe(401);
    });

    it.skipIf(route.scope === undefined)(`a credential without ${route.scope} → 403`, async () => {
      const res = await send(a, route.request(resource), { key: WITHOUT[route.scope as Scope], origin: a.origin });
      expect(await outcome(res)).toMatchObject({ status: 403, code: 'forbidden' });
    });

    it.skipIf(route.widget)('a publishable (widget) key → 403', async () => {
      const res = await send(a, route.request(resource), { key: 'publishable' });
      expect(await outcome(res)).toMatchObject({ status: 403, code: 'forbidden' });
    });

    it("another tenant's origin gets no Access-Control-Allow-Origin; the tenant's own does", async () => {
      const foreign = await send(a, route.request(resource), { origin: b.origin });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      if (route.widget) expect(foreign.status).toBe(403);
      const probe = route.request(route.random(a));
      const own = await send(a, probe, { key: route.widget ? 'publishable' : 'readOnly', origin: a.origin });
      expect(own.headers.get('access-control-allow-origin')).toBe(a.origin);
    });

    it('tenant A gets its own resource', async () => {
      const res = await send(a, route.request(resource));
      expect(res.status, await res.clone().text()).toBe(route.okStatus);
    });
  });
}
