import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { jsonDepth, MAX_JSON_DEPTH, validate } from './validate.ts';

const app = appWith()
  .post('/j', validate('json', z.strictObject({ name: z.string().max(5), extra: z.unknown().optional() })), (c) =>
    c.json(c.req.valid('json')),
  )
  .get('/q', validate('query', z.object({ limit: z.coerce.number().int().max(10) })), (c) =>
    c.json(c.req.valid('query')),
  );
const postJson = (body: string, type = 'application/json') =>
  send(app, '/j', { method: 'POST', body, headers: { 'content-type': type } });
const error = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('validate', () => {
  it('passes valid input through as typed data', async () => {
    expect(await (await postJson('{"name":"ab"}')).json()).toEqual({ name: 'ab' });
    expect(await (await send(app, '/q?limit=3')).json()).toEqual({ limit: 3 });
  });

  it('answers 400 in the envelope naming fields, not the raw zod result', async () => {
    const res = await postJson('{"name":"toolong","tenantId":"x"}');
    expect(res.status).toBe(400);
    const { code, message } = await error(res);
    expect(code).toBe('bad_request');
    expect(message).toContain('name');
    expect(message).toContain('tenantId');
    expect(message).not.toContain('toolong');
    expect((await send(app, '/q?limit=11')).status).toBe(400);
  });

  it('refuses malformed JSON with 400 and a non-JSON content type with 415', async () => {
    expect(await error(await postJson('{"name":'))).toMatchObject({ code: 'bad_request' });
    expect(await error(await postJson('{"name":"a"}', 'text/plain'))).toMatchObject({ code: 'unsupported_media_type' });
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} before parsing, counting brackets outside strings only`, async () => {
    const deep = (n: number) => `{"name":"a","extra":${'['.repeat(n)}${']'.repeat(n)}}`;
    expect((await postJson(deep(MAX_JSON_DEPTH - 1))).status).toBe(200);
    expect(await error(await postJson(deep(MAX_JSON_DEPTH)))).toMatchObject({ code: 'bad_request' });
    expect(jsonDepth(`{"a":"${'['.repeat(100)}\\"{"}`)).toBe(1);
  });
});
