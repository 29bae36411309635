import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';

const app = createApp();
const get = (bindings: object) => app.request('/healthz', {}, bindings);

describe('GET /healthz', () => {
  it('reports every dependency ok against the local stack', async () => {
    const res = await get(env);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', pinecone: 'ok', objectStore: 'ok', kv: 'ok' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('names the failing dependency and why, without secrets or addresses', async () => {
    const broken = {
      ...env,
      PINECONE_API_KEY: 'wrong-key-do-not-echo',
      DATABASE_URL: env.DATABASE_URL.replace(/:[^:@/]+@/, ':wrong-password-do-not-echo@'),
      S3_SECRET_ACCESS_KEY: 'wrong-secret-do-not-echo',
    };
    const res = await get(broken);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks.kv).toBe('ok');
    expect(body.checks.postgres).toMatch(/password authentication failed/);
    expect(body.checks.pinecone).toMatch(/Pinecone/);
    expect(body.checks.objectStore).toMatch(/403/);
    const text = JSON.stringify(body);
    for (const secret of ['do-not-echo', '127.0.0.1', 'bulkhead_app', 'postgres://'])
      expect(text).not.toContain(secret);
  });

  it('fails closed with one message naming a missing setting, in the error envelope', async () => {
    const { DATABASE_URL: _omitted, ...withoutDatabase } = env;
    const res = await get({ ...withoutDatabase, S3_ENDPOINT: 'not a url' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain('DATABASE_URL is missing');
    expect(body.error.message).toContain('S3_ENDPOINT');
    expect(body.error.requestId).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });
});
