// Run-time fault injection for the local stand-ins (Neon HTTP and WebSocket, Pinecone, S3): a list of
// rules, each matched by method, path pattern and text in the request, applied to a count of matching
// requests or with a seeded probability. Tests inside workerd set and clear them over HTTP at
// `/__faults` on each stand-in's own port, so a fault can be injected mid-flow into the very
// endpoint the Worker talks to. The control endpoint exists only when the stand-in was started with
// it (the local stack's dev and test modes); otherwise `/__faults` is the stand-in's ordinary 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import { FAULT_KINDS, type FaultKind, type FaultRule } from './fault-rule.ts';

export { FAULT_KINDS, type FaultKind, type FaultRule };

export interface FaultRequest {
  method: string;
  /** The request target: path and query string. */
  target: string;
  /** The body, when the stand-in has read it; decoded as text only if a rule needs to look. */
  body?: string | Uint8Array;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
  random: () => number;
  hits: number;
}

/**
 * The rules of one stand-in. Rules are added and removed by id, not replaced as a whole: test files
 * running at the same time share the stand-ins, and each removes only its own rules.
 */
export class FaultRules {
  #rules: ActiveRule[] = [];
  #nextId = 1;

  /** Appends rules, returning their ids; throws FaultRuleError on the first invalid one (none is added then). */
  add(rules: readonly unknown[]): number[] {
    const valid = rules.map((raw, i) => validRule(raw, i));
    const added = valid.map((rule) => activate(this.#nextId++, rule));
    this.#rules.push(...added);
    return added.map((active) => active.id);
  }

  /** Replaces every rule (the benchmark's fixed RTT). */
  set(rules: readonly unknown[]): number[] {
    const valid = rules.map((raw, i) => validRule(raw, i));
    this.#rules = [];
    return this.add(valid);
  }

  /** Removes the rules with these ids, or every rule when none are given. */
  clear(ids?: readonly number[]): void {
    this.#rules = ids ? this.#rules.filter((active) => !ids.includes(active.id)) : [];
  }

  /** The rules with their ids and how often each has applied, for the control endpoint's GET. */
  list(): Array<FaultRule & { id: number; hits: number }> {
    return this.#rules.map(({ id, rule, hits }) => ({ ...rule, id, hits }));
  }

  /** The first rule that applies to this request, consuming one of its count; undefined for none. */
  match(request: FaultRequest): FaultRule | undefined {
    if (this.#rules.length === 0) return undefined;
    const path = request.target.split('?')[0] ?? '';
    let text: string | undefined;
    const bodyText = () => {
      text ??= typeof request.body === 'string' ? request.body : Buffer.from(request.body ?? []).toString('latin1');
      return text;
    };
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (!active.pattern.test(path)) continue;
      if (rule.includes && !request.target.includes(rule.includes) && !bodyText().includes(rule.includes)) {
        continue;
      }
      if (rule.probability !== undefined && active.random() >= rule.probability) continue;
      active.remaining--;
      active.hits++;
      return rule;
    }
    return undefined;
  }
}

export class FaultRuleError extends Error {
  override name = 'FaultRuleError';
}

function validRule(raw: unknown, index: number): FaultRule {
  const fail = (message: string): never => {
    throw new FaultRuleError(`rule ${index}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must be an object');
  const rule = raw as Record<string, unknown>;
  const known = new Set([
    'method',
    'path',
    'includes',
    'fault',
    'latencyMs',
    'status',
    'body',
    'count',
    'probability',
    'seed',
  ]);
  for (const name of Object.keys(rule)) if (!known.has(name)) fail(`unknown field ${name}`);
  if (!FAULT_KINDS.includes(rule.fault as FaultKind)) fail(`fault must be one of ${FAULT_KINDS.join(', ')}`);
  for (const name of ['method', 'path', 'includes', 'body'] as const) {
    if (rule[name] !== undefined && typeof rule[name] !== 'string') fail(`${name} must be a string`);
  }
  const whole = (name: string, min: number, max: number) => {
    const value = rule[name];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
      fail(`${name} must be a whole number from ${min} to ${max}`);
    }
  };
  whole('latencyMs', 0, 120_000);
  whole('status', 100, 599);
  whole('count', 1, 1_000_000);
  whole('seed', 0, 2 ** 32 - 1);
  const p = rule.probability;
  if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 1)) fail('probability must be from 0 to 1');
  if (rule.fault === 'latency' && rule.latencyMs === undefined) fail('latency needs latencyMs');
  if (rule.fault === 'status' && rule.status === undefined) fail('status needs status');
  return rule as unknown as FaultRule;
}

function activate(id: number, rule: FaultRule): ActiveRule {
  const glob = (rule.path ?? '*').split('*').map(escapeRegExp).join('.*');
  return {
    id,
    rule,
    pattern: new RegExp(`^${glob}$`),
    remaining: rule.count ?? Number.POSITIVE_INFINITY,
    random: mulberry32(rule.seed ?? 1),
    hits: 0,
  };
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A small seeded PRNG: the same seed gives the same sequence of faults, run after run. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const FAULTS_PATH = '/__faults';

/**
 * The control endpoint: `POST /__faults` `{ rules: [...] }` adds rules and answers their `ids`;
 * `PUT` replaces every rule; `DELETE /__faults?id=1&id=2` removes those rules, `DELETE /__faults`
 * every rule; `GET` lists them with ids and hit counts. Returns false for any other path, for the
 * stand-in to answer.
 */
export async function handleFaultControl(
  rules: FaultRules,
  req: IncomingMessage,
  res: ServerResponse,
  body?: string,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== FAULTS_PATH) return false;
  const reply = (status: number, value: unknown) => {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  if (req.method === 'GET') reply(200, { rules: rules.list() });
  else if (req.method === 'DELETE') {
    const ids = url.searchParams.getAll('id').map(Number);
    rules.clear(ids.length > 0 ? ids : undefined);
    reply(200, { rules: rules.list() });
  } else if (req.method === 'POST' || req.method === 'PUT') {
    try {
      const parsed = JSON.parse(body ?? (await readText(req))) as { rules?: unknown };
      if (!Array.isArray(parsed?.rules)) throw new FaultRuleError('expected { rules: [...] }');
      const ids = req.method === 'PUT' ? rules.set(parsed.rules) : rules.add(parsed.rules);
      reply(200, { ids });
    } catch (error) {
      reply(400, { message: error instanceof Error ? error.message : String(error) });
    }
  } else reply(405, { message: 'GET, POST, PUT or DELETE' });
  return true;
}

export interface FaultDefaults {
  /** The stand-in's own error body for a `status` fault without `body`. */
  errorBody(status: number): { contentType: string; body: string };
}

/**
 * Applies a matched rule to an HTTP exchange. Returns 'answered' when the fault answered (or
 * abandoned) the request itself, 'proceed' when the stand-in should do its work as usual (latency
 * has elapsed, or truncate has armed `res` to cut the answer short).
 */
export async function applyFault(
  rule: FaultRule | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  defaults: FaultDefaults,
): Promise<'answered' | 'proceed'> {
  if (!rule) return 'proceed';
  switch (rule.fault) {
    case 'latency':
      await sleep(rule.latencyMs ?? 0);
      return 'proceed';
    case 'status': {
      const status = rule.status ?? 503;
      const fallback = defaults.errorBody(status);
      const body = rule.body ?? fallback.body;
      res.writeHead(status, { 'content-type': fallback.contentType, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return 'answered';
    }
    case 'reset':
      resetSocket(req.socket);
      return 'answered';
    case 'hang':
      // Nothing is ever written; the client's own timeout (or the server closing) ends it.
      return 'answered';
    case 'truncate':
      truncateAnswer(res);
      return 'proceed';
  }
}

/** A fault hook for a stand-in that has read the request body: 'answered' means do nothing more. */
export type HttpFaultHook = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string | Uint8Array,
) => Promise<'answered' | 'proceed'>;

export function httpFaultHook(rules: FaultRules, defaults: FaultDefaults): HttpFaultHook {
  return (req, res, body) =>
    applyFault(rules.match({ method: req.method ?? 'GET', target: req.url ?? '/', body }), req, res, defaults);
}

function resetSocket(socket: Duplex): void {
  const tcp = socket as Duplex & { resetAndDestroy?: () => void };
  if (typeof tcp.resetAndDestroy === 'function') tcp.resetAndDestroy();
  else socket.destroy();
}

// Every stand-in answers with writeHead(...) then one end(body): keep the head and the declared
// length, send half the body, and close, as a connection dropped mid-answer does.
function truncateAnswer(res: ServerResponse): void {
  res.end = ((chunk?: unknown) => {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : Buffer.alloc(0);
    res.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), () => res.socket?.destroy());
    return res;
  }) as typeof res.end;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
