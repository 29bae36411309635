// The OpenAPI document (src/http/openapi-document.ts) and the reference page: public, the same for
// every caller, valid in shape, and complete: every route in the app's table has a described
// operation, named when it does not. That every answer matches the document is checked on every
// request the API tests make (openapi-conformance.ts, through the harness); here, that the check
// itself fails on an answer the document does not describe.
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { ERROR_STATUS } from '../../../src/domain/api-error.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { api, createHarness, type Harness, type TestTenant } from './harness.ts';
import { conformanceProblems, type Document, documentOf, undescribedRoutes } from './openapi-conformance.ts';

const origin = `https://${env.API_HOST}`;
const get = (app: Hono<AppEnv>, path: string, headers: Record<string, string> = {}) =>
  Promise.resolve(app.request(`${origin}${path}`, { headers }, env));

describe('GET /openapi.json', () => {
  let h: Harness;
  let a: TestTenant;
  let document: Document;
  beforeAll(async () => {
    h = await createHarness(1);
    [a] = h.tenants as [TestTenant];
    document = await documentOf(h.app, origin, env);
  });

  it('is an OpenAPI 3.1 document, public: no credential, the same bytes with or without one', async () => {
    const anonymous = await get(h.app, '/openapi.json');
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/);
    const withKey = await get(h.app, '/openapi.json', { 'x-api-key': a.keys.secret, origin: a.origin });
    const text = await anonymous.text();
    expect(await withKey.text()).toBe(text);
    expect(JSON.parse(text)).toMatchObject({ openapi: '3.1.0', info: { title: 'Bulkhead API' } });
    // It describes the API, never a tenant: no tenant's id, key or origin is in it.
    for (const secret of [a.id, a.keys.secret, a.keys.publishable, a.origin]) expect(text).not.toContain(secret);
  });

  it('on a tenant subdomain too, before any tenant is resolved', async () => {
    const res = await Promise.resolve(h.app.request(`https://${a.slug}.${env.API_HOST}/openapi.json`, {}, env));
    expect(res.status).toBe(200);
  });

  it('describes every route of the app’s table', () => {
    expect(undescribedRoutes(h.app, document)).toEqual([]);
  });

  it('names a route that has no description', () => {
    const extra = new Hono<AppEnv>().get('/v1/undescribed', (c) => c.json({}));
    const app = createApp({ tenantRoutes: [extra] });
    expect(undescribedRoutes(app, document)).toContain('GET /v1/undescribed');
    expect(undescribedRoutes(app, document)).not.toContain('GET /v1/whoami');
  });

  it('every /v1 operation names its credentials and every error status of the envelope', () => {
    const statuses = new Set(Object.values(ERROR_STATUS).map(String));
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const op = operation as unknown as { security?: unknown[]; responses: Record<string, { $ref?: string }> };
        const errors = Object.keys(op.responses).filter((status) => Number(status) >= 400);
        for (const status of errors) expect(statuses.has(status), `${where} ${status}`).toBe(true);
        if (!path.startsWith('/v1/')) continue;
        for (const status of errors) {
          expect(op.responses[status]?.$ref, `${where} ${status}`).toBe(`#/components/responses/Error${status}`);
        }
        expect(op.security?.length, where).toBeGreaterThan(0);
        expect(errors, where).toEqual(expect.arrayContaining(['400', '401', '403', '404', '429', '500']));
      }
    }
    const schemes = (document.components.securitySchemes ?? {}) as Record<string, unknown>;
    expect(Object.keys(schemes).sort()).toEqual(['operatorCredential', 'publishableKey', 'secretKey', 'userJwt']);
  });

  it('states the event stream of POST /v1/conversations/{id}/messages', () => {
    const messages = document.paths['/v1/conversations/{id}/messages']?.post;
    expect(Object.keys(messages?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(messages?.responses['201']?.content ?? {})).toEqual(['application/json']);
  });

  it('the request half comes from the validators: bodies, query, path and header parameters', () => {
    const create = document.paths['/v1/documents']?.post as unknown as {
      requestBody: { content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }> };
    };
    const body = create.requestBody.content['application/json']?.schema;
    expect(body?.required).toEqual(['title', 'filename', 'contentType', 'sizeBytes']);
    expect(body?.additionalProperties).toBe(false);
    const list = document.paths['/v1/documents']?.get as unknown as { parameters: { in: string; name: string }[] };
    expect(list.parameters.map((p) => `${p.in} ${p.name}`)).toEqual(['query projectId', 'query limit', 'query cursor']);
  });
});

describe('the harness holds every answer to the document', () => {
  let h: Harness;
  let a: TestTenant;
  let document: Document;
  beforeAll(async () => {
    h = await createHarness(1);
    [a] = h.tenants as [TestTenant];
    document = await documentOf(h.app, origin, env);
  });
  const url = `${origin}/v1/whoami`;
  const answer = (status: number, body: unknown, type = 'application/json') =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } });

  it('a real answer conforms', async () => {
    const res = await api(h, a, '/v1/whoami');
    expect(res.status).toBe(200);
    expect(await conformanceProblems(document, 'GET', url, res)).toEqual([]);
  });

  it('refuses an undeclared field, a wrong type, an undocumented status and a wrong media type', async () => {
    const real = await (await api(h, a, '/v1/whoami')).json();
    const leak = await conformanceProblems(document, 'GET', url, answer(200, { ...(real as object), namespace: 'x' }));
    expect(leak.join()).toMatch(/GET \/v1\/whoami → 200/);
    const wrongType = await conformanceProblems(
      document,
      'GET',
      url,
      answer(200, { ...(real as object), scopes: 'all' }),
    );
    expect(wrongType.join()).toMatch(/scopes/);
    expect((await conformanceProblems(document, 'GET', url, answer(418, {}))).join()).toMatch(
      /status not in the document/,
    );
    expect((await conformanceProblems(document, 'GET', url, answer(200, 'hi', 'text/plain'))).join()).toMatch(
      /content-type text\/plain/,
    );
    const badError = answer(404, { error: { code: 'forbidden', message: 'm', requestId: 'r' } });
    expect((await conformanceProblems(document, 'GET', url, badError)).join()).toMatch(/code/);
  });

  it('an error from a path the document lacks must still be the envelope', async () => {
    const elsewhere = `${origin}/v1/not-a-route`;
    const bare = answer(404, { message: 'Not Found' });
    expect((await conformanceProblems(document, 'GET', elsewhere, bare)).join()).toMatch(/error/);
    const missing = answer(404, { error: { code: 'not_found', message: 'Not found', requestId: 'r' } });
    expect(await conformanceProblems(document, 'GET', elsewhere, missing)).toEqual([]);
  });
});

describe('GET /docs', () => {
  it('is the reference page over /openapi.json, public, with a nonce-bound script policy', async () => {
    const res = await get(createApp(), '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    const policy = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
