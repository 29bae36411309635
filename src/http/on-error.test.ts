// The one envelope: ApiError, Hono's HTTPExceptions, crashes and 404s all answer
// { error: { code, message, requestId } } with the request id also sent as X-Request-Id.
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { ApiError, ERROR_STATUS } from '../domain/api-error.ts';
import { RegistryError } from '../tenancy/registry.ts';

const app = appWith()
  .get('/api-error', () => {
    throw new ApiError('rate_limited', 'Slow down', { 'Retry-After': '7' });
  })
  .get('/http-exception', () => {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  })
  .get('/crash', () => {
    throw new Error('relation "secret_table" does not exist at /srv/app.ts:12');
  })
  .get('/registry', () => {
    throw new RegistryError('tenants.3.slug: duplicate slug acme');
  });

async function envelope(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  return body.error;
}

describe('error envelope', () => {
  it('an ApiError keeps its code, status and headers', async () => {
    const res = await send(app, '/api-error');
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await envelope(res)).toMatchObject({ code: 'rate_limited', message: 'Slow down' });
  });

  it("Hono's HTTPException becomes bad_request", async () => {
    const res = await send(app, '/http-exception');
    expect(await envelope(res)).toMatchObject({ code: 'bad_request', message: 'Malformed JSON in request body' });
  });

  it('a crash is internal_error with nothing of the error in the body', async () => {
    const res = await send(app, '/crash');
    expect(res.status).toBe(500);
    const text = JSON.stringify(await envelope(res));
    expect(text).not.toMatch(/secret_table|srv|at \//);
  });

  it('a registry error is misconfigured without tenant names', async () => {
    const error = await envelope(await send(app, '/registry'));
    expect(error).toMatchObject({ code: 'misconfigured' });
    expect(error.message).not.toContain('acme');
  });

  it("404 uses the envelope with the server's request id, never the client's", async () => {
    const res = await send(app, '/nope', { headers: { 'x-request-id': 'client-abc-123' } });
    expect(res.status).toBe(404);
    const error = await envelope(res);
    expect(error).toMatchObject({ code: 'not_found', message: 'Not found' });
    expect(error.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers.get('x-request-id')).toBe(error.requestId);
  });

  it('every code maps to one status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
