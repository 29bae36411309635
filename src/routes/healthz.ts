// Liveness and readiness, both public and answered before any tenant is resolved:
//   - GET /healthz: liveness. `{status: 'ok'}` with no I/O at all, so anyone may call it as often as
//     they like; `maintenance: true` too while the API is locked for maintenance (the MAINTENANCE
//     var, or the platform switch as this isolate last read it: src/tenancy/tenant-directory.ts). It still fails closed (500, naming the setting) when the settings are invalid,
//     since then every request would.
//   - GET /readyz: readiness. Each dependency as ok or the reason it is not (503 when one is not).
//     A round costs a database query, a Pinecone describe_index_stats, an object-store listing
//     (billed by R2) and a KV read, so each isolate runs at most one at a time: callers during a
//     round share it, and its result, failed or not, is reused for READINESS_CACHE_MS (5 s) after it
//     ends. A flood costs each isolate at most one round per READINESS_CACHE_MS plus the round's
//     own duration (at most PROBE_TIMEOUT_MS, 3 s).
//     The round belongs to the request that started it; it is kept alive with waitUntil, so a caller
//     that hangs up does not cancel it for the others. A round still unfinished ROUND_DEADLINE_MS
//     after it started is abandoned: a caller waiting on it answers 503 then, and the next starts
//     a new one.
// Reasons name the failure, never a secret, a host or a connection string (threat model T43).
import { type Context, Hono } from 'hono';
import type { Settings } from '../config/settings.ts';
import { httpSql } from '../db/neon-client.ts';
import type { AppEnv } from '../http/app-env.ts';
import { describeHealthz, describeReadyz } from '../http/openapi-health.ts';
import { pineconeIndex } from '../stores/pinecone-index.ts';
import { bucketUrl, s3Client } from '../stores/s3-client.ts';

const PROBE_TIMEOUT_MS = 3_000;
/** How long a readiness round's result is reused in this isolate after the round ends. */
export const READINESS_CACHE_MS = 5_000;
/** Past this, an unfinished round is abandoned (its probes time out well before). */
export const ROUND_DEADLINE_MS = PROBE_TIMEOUT_MS + 1_000;

export type Probe = (settings: Settings, env: Env) => Promise<void>;

const dependencyProbes: Record<string, Probe> = {
  postgres: async (settings) => {
    const rows = await httpSql(settings)`select 1 as ok`;
    if (rows[0]?.ok !== 1) throw new Error('unexpected answer to select 1');
  },
  pinecone: async (settings) => {
    await pineconeIndex(settings).describeIndexStats();
  },
  objectStore: async (settings) => {
    const res = await s3Client(settings).fetch(`${bucketUrl(settings)}?list-type=2&max-keys=1`);
    await res.body?.cancel();
    if (!res.ok) throw new Error(`bucket answered HTTP ${res.status}`);
  },
  kv: async (_settings, env) => {
    await env.CACHE.get('healthz:probe');
  },
};

export interface HealthRoutesOptions {
  /** Whether the API is locked for maintenance, answered without I/O; the MAINTENANCE var by default. */
  maintenance?: (settings: Settings) => boolean;
  /** The readiness probes by name; the Worker's four dependencies by default. */
  probes?: Record<string, Probe>;
  now?: () => number;
}

interface Readiness {
  ok: boolean;
  checks: Record<string, string>;
}

interface Round {
  result: Promise<Readiness>;
  startedAt: number;
  settledAt?: number;
}

export function healthRoutes(options: HealthRoutesOptions = {}) {
  const { probes = dependencyProbes, now = Date.now, maintenance = deployTimeMaintenance } = options;
  // One round per Settings object (one per Worker env): the settings name what is probed.
  const rounds = new WeakMap<Settings, Round>();
  const reusable = (round: Round | undefined, at: number): round is Round =>
    round !== undefined &&
    (round.settledAt === undefined
      ? at - round.startedAt < ROUND_DEADLINE_MS
      : at - round.settledAt < READINESS_CACHE_MS);

  const readiness = (c: Context<AppEnv>): Promise<Readiness> => {
    const settings = c.get('settings');
    const at = now();
    const current = rounds.get(settings);
    if (reusable(current, at)) return withDeadline(current, probes, at);
    const round: Round = { result: probeAll(probes, settings, c.env), startedAt: at };
    void round.result.then(() => {
      round.settledAt = now();
    });
    keepAlive(c, round.result);
    rounds.set(settings, round);
    return round.result;
  };

  return new Hono<AppEnv>()
    .get('/healthz', describeHealthz, (c) =>
      c.json(maintenance(c.get('settings')) ? { status: 'ok', maintenance: true } : { status: 'ok' }),
    )
    .get('/readyz', describeReadyz, async (c) => {
      const { ok, checks } = await readiness(c);
      return c.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
    });
}

/** Another request's round, or a 503 if it has not finished by its deadline. */
function withDeadline(round: Round, probes: Record<string, Probe>, at: number): Promise<Readiness> {
  if (round.settledAt !== undefined) return round.result;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abandoned = new Promise<Readiness>((resolve) => {
    const checks = Object.fromEntries(Object.keys(probes).map((name) => [name, 'Error: readiness round abandoned']));
    timer = setTimeout(() => resolve({ ok: false, checks }), Math.max(0, round.startedAt + ROUND_DEADLINE_MS - at));
  });
  return Promise.race([round.result, abandoned]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

function keepAlive(c: Context<AppEnv>, work: Promise<unknown>) {
  let execution: Context<AppEnv>['executionCtx'];
  try {
    execution = c.executionCtx; // Hono throws when the request came without one (tests, app.request)
  } catch {
    return;
  }
  execution.waitUntil(work);
}

export const deployTimeMaintenance = (settings: Settings): boolean => settings.MAINTENANCE === 'true';

export const healthz = healthRoutes();

async function probeAll(probes: Record<string, Probe>, settings: Settings, env: Env): Promise<Readiness> {
  const names = Object.keys(probes);
  const outcomes = await Promise.all(names.map((name) => runProbe(probes[name] as Probe, settings, env)));
  return {
    ok: outcomes.every((outcome) => outcome === 'ok'),
    checks: Object.fromEntries(names.map((name, i) => [name, outcomes[i] as string])),
  };
}

async function runProbe(probe: Probe, settings: Settings, env: Env): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(settings, env), timeout]);
    return 'ok';
  } catch (error) {
    return reason(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** A short, secret-free reason: the error's kind and first line, with URLs and credentials cut. */
function reason(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const scrubbed = message
    .replace(/[a-z]+:\/\/\S+/gi, '<url>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, '<addr>')
    .replace(/"[^"]*"/g, '"…"'); // quoted identifiers: role, database and host names
  return `${name}: ${scrubbed}`.slice(0, 160);
}
