// docs/threat-model.md T6, T8 and T9 through the whole app, on stand-in routes (probe-routes.ts): mass
// assignment moves nothing, widget keys cannot reach ingest/admin/delete, oversized or deeply
// nested input is a 4xx in the envelope and never a 5xx.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/http/body-limit.ts';
import { call, demoTenant, outcome, tenantUrl } from './harness.ts';
import { probeRoutes } from './probe-routes.ts';

const app = createApp({ tenantRoutes: [probeRoutes] });
const acme = await demoTenant('acme');
const globex = await demoTenant('globex');
const asAcme = (path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(
    path,
    {
      method,
      headers: { 'x-api-key': acme.secretKey, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    },
    app,
  );
const smuggled = { tenant_id: globex.id, tenantId: globex.id, namespace: globex.id, role: 'admin', plan: 'enterprise' };

describe('mass assignment (docs/threat-model.md T6)', () => {
  it('a strict body refuses tenant fields with 400 naming them', async () => {
    const res = await asAcme('/v1/probe/ingest', 'POST', { title: 'Guide', sizeBytes: 10, ...smuggled });
    const { status, code, message } = await outcome(res);
    expect([status, code]).toEqual([400, 'bad_request']);
    expect(message).toContain('tenant_id');
    expect(message).not.toContain(globex.id);
  });

  it('a lenient body drops them: nothing moves to another tenant', async () => {
    const res = await asAcme('/v1/probe/chat', 'POST', { message: 'hi', ...smuggled });
    expect(await res.json()).toEqual({ tenantId: acme.id, accepted: { message: 'hi' } });
  });
});

describe('widget keys and scopes (docs/threat-model.md T8)', () => {
  const widget = { 'x-api-key': acme.publishableKey, origin: 'https://www.acme.example' };
  it.each([
    ['ingest', '/v1/probe/ingest', 'POST'],
    ['admin', '/v1/probe/admin', 'POST'],
    ['delete', '/v1/probe/documents/123', 'DELETE'],
    ['document listing', '/v1/probe/documents', 'GET'],
  ])('a publishable key calling %s → 403', async (_, path, method) => {
    const body = method === 'POST' ? { title: 't', sizeBytes: 1 } : undefined;
    expect(await outcome(await asAcme(path, method, body, widget))).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('the same widget key may chat', async () => {
    expect((await asAcme('/v1/probe/chat', 'POST', { message: 'hi' }, widget)).status).toBe(200);
  });
});

describe('oversized and nested input (docs/threat-model.md T9)', () => {
  it('a body over the limit → 413 by Content-Length, before parsing', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
    expect(await outcome(await asAcme('/v1/probe/chat', 'POST', big))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('a streamed body without Content-Length → 413 once it passes the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent++ > 40) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const headers = { 'x-api-key': acme.secretKey, 'content-type': 'application/json' };
    const init = { method: 'POST', body, headers, duplex: 'half' } as RequestInit;
    const res = await app.request(tenantUrl('/v1/probe/chat', 'acme'), init, env);
    expect(res.status).toBe(413);
  });

  it.each([
    ['topK over the tenant limit', '/v1/probe/chat', { message: 'hi', topK: 21 }],
    ['topK over any limit', '/v1/probe/chat', { message: 'hi', topK: 10_000 }],
    ['message too long', '/v1/probe/chat', { message: 'x'.repeat(4001) }],
    ['upload larger than the tenant allows', '/v1/probe/ingest', { title: 't', sizeBytes: 10_485_761 }],
    ['malformed JSON', '/v1/probe/chat', '{"message": '],
    ['deeply nested JSON', '/v1/probe/echo', `{"metadata":${'['.repeat(5000)}${']'.repeat(5000)}}`],
  ])('%s → 400 in the envelope', async (_, path, body) => {
    const res = await asAcme(path, 'POST', body);
    expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('page size over the limit → 400; a non-JSON body → 415', async () => {
    expect((await asAcme('/v1/probe/documents?pageSize=1000', 'GET')).status).toBe(400);
    expect((await asAcme('/v1/probe/documents?pageSize=50', 'GET')).status).toBe(200);
    const text = await asAcme('/v1/probe/chat', 'POST', 'message=hi', { 'content-type': 'text/plain' });
    expect(await outcome(text)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('a validation error names fields, never echoes values or zod internals', async () => {
    const res = await asAcme('/v1/probe/chat', 'POST', { message: 42, secretish: 'do-not-echo' });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('message');
    expect(text).not.toContain('do-not-echo');
    expect(Object.keys(JSON.parse(text))).toEqual(['error']);
  });
});
