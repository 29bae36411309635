// Liveness and readiness (threat model T43): `GET /healthz` is public and does no I/O at all;
// `GET /readyz` probes the dependencies, at most one round per isolate and READINESS_CACHE_MS,
// however many callers ask, so an anonymous flood cannot turn into database, Pinecone and object
// store traffic (an R2 listing is billed).
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { healthRoutes, READINESS_CACHE_MS, ROUND_DEADLINE_MS } from '../../src/routes/healthz.ts';
import { appWith } from './edge/middleware-app.ts';

const app = createApp();
const get = (path: string, bindings: object) => app.request(path, {}, bindings);
const realFetch = globalThis.fetch.bind(globalThis);

/** A copy of the Worker's env (so its own settings and its own readiness cache) that counts its I/O. */
function countingEnv(overrides: Partial<Env> = {}) {
  const io = { fetches: 0, kvReads: 0 };
  vi.spyOn(globalThis, 'fetch').mockImplementation((...args) => {
    io.fetches++;
    return realFetch(...args);
  });
  const cache = new Proxy(env.CACHE, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        io.kvReads++;
        return value.apply(target, args);
      };
    },
  });
  return { bindings: { ...env, CACHE: cache, ...overrides } as Env, io };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /healthz (liveness)', () => {
  it('answers {status: ok} to anyone, with no I/O: 40 calls, zero requests and zero KV reads', async () => {
    const { bindings, io } = countingEnv();
    const answers = await Promise.all(Array.from({ length: 40 }, () => get('/healthz', bindings)));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
    expect(io).toEqual({ fetches: 0, kvReads: 0 });
  });

  it('fails closed with one message naming a missing setting, in the error envelope', async () => {
    const { DATABASE_URL: _omitted, ...withoutDatabase } = env;
    const res = await get('/healthz', { ...withoutDatabase, S3_ENDPOINT: 'not a url' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain('DATABASE_URL is missing');
    expect(body.error.message).toContain('S3_ENDPOINT');
    expect(body.error.requestId).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('GET /readyz (readiness)', () => {
  it('reports every dependency ok against the local stack', async () => {
    const res = await get('/readyz', env);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', pinecone: 'ok', objectStore: 'ok', kv: 'ok' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('answers through the deployed entry point, concurrent callers included', async () => {
    const url = `https://${env.API_HOST}`;
    const answers = await Promise.all(
      ['/readyz', '/readyz', '/healthz'].map((path) => exports.default.fetch(new Request(`${url}${path}`))),
    );
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((res) => res.json()))) as Array<{ status: string }>;
    expect(bodies.map((body) => body.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('40 calls within the cache window cost one probe round: 3 requests and 1 KV read', async () => {
    const { bindings, io } = countingEnv();
    const first = await Promise.all(Array.from({ length: 20 }, () => get('/readyz', bindings)));
    const then = [];
    for (let i = 0; i < 20; i++) then.push(await get('/readyz', bindings));
    for (const res of [...first, ...then]) {
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe('ok');
    }
    // One SQL-over-HTTP query, one describe_index_stats, one bucket listing; one KV get.
    expect(io).toEqual({ fetches: 3, kvReads: 1 });
  });

  it('probes again once READINESS_CACHE_MS has passed since the last round ended', async () => {
    expect(READINESS_CACHE_MS).toBeLessThanOrEqual(10_000);
    let now = 1_000_000;
    let rounds = 0;
    const probes = { counted: async () => void rounds++ };
    const probeApp = appWith().route('/', healthRoutes({ probes, now: () => now }));
    const ready = () => Promise.resolve(probeApp.request('/readyz', {}, env)).then((res) => res.json());
    expect(await ready()).toEqual({ status: 'ok', checks: { counted: 'ok' } });
    now += READINESS_CACHE_MS - 1;
    await ready();
    expect(rounds).toBe(1);
    now += 1;
    await ready();
    expect(rounds).toBe(2);
  });

  it('callers during a round share it; a round unfinished past ROUND_DEADLINE_MS is abandoned for a new one', async () => {
    let now = 1_000_000;
    const pending: Array<() => void> = [];
    const probes = { held: () => new Promise<void>((resolve) => pending.push(resolve)) };
    const probeApp = appWith().route('/', healthRoutes({ probes, now: () => now }));
    const ready = () => Promise.resolve(probeApp.request('/readyz', {}, env));
    const first = ready();
    const joined = ready();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pending).toHaveLength(1);
    now += ROUND_DEADLINE_MS;
    const fresh = ready();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pending).toHaveLength(2);
    for (const resolve of pending) resolve();
    expect((await Promise.all([first, joined, fresh])).map((res) => res.status)).toEqual([200, 200, 200]);
  });

  it('names the failing dependency and why, without secrets or addresses; a failed round is cached too', async () => {
    const { bindings: broken, io } = countingEnv({
      PINECONE_API_KEY: 'wrong-key-do-not-echo',
      DATABASE_URL: env.DATABASE_URL.replace(/:[^:@/]+@/, ':wrong-password-do-not-echo@'),
      S3_SECRET_ACCESS_KEY: 'wrong-secret-do-not-echo',
    });
    const res = await get('/readyz', broken);
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

    const round = { ...io };
    expect((await get('/readyz', broken)).status).toBe(503);
    expect(io).toEqual(round);
  });
});
