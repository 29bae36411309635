// The fault module (local/faults.ts) on its own: which requests a rule matches, counts, seeded
// probabilities, rule validation, and the control endpoint's refusal when it is not switched on.
import { describe, expect, it } from 'vitest';
import { FaultRuleError, FaultRules, mulberry32 } from '../../../local/faults.ts';
import { startLocalPinecone } from '../../../local/pinecone/server.ts';
import { API_KEY } from './pinecone-harness.ts';

const request = (method: string, target: string, body = '') => ({ method, target, body });

describe('FaultRules.match', () => {
  it('matches method (any case), path pattern and text in the target or body', () => {
    const rules = new FaultRules();
    rules.set([{ method: 'post', path: '/vectors/*', includes: 'tenant-a', fault: 'reset' }]);
    expect(rules.match(request('POST', '/vectors/upsert', '{"namespace":"tenant-a"}'))?.fault).toBe('reset');
    expect(rules.match(request('GET', '/vectors/list?namespace=tenant-a'))).toBeUndefined(); // method
    expect(rules.match(request('POST', '/query', '{"namespace":"tenant-a"}'))).toBeUndefined(); // path
    expect(rules.match(request('POST', '/vectors/upsert', '{"namespace":"tenant-b"}'))).toBeUndefined(); // text
    rules.set([{ path: '/vectors/list', includes: 'tenant-a', fault: 'hang' }]);
    expect(rules.match(request('GET', '/vectors/list?namespace=tenant-a'))?.fault).toBe('hang'); // query string
    expect(rules.match(request('GET', '/vectors/list2?namespace=tenant-a'))).toBeUndefined(); // whole path only
  });

  it('a path pattern is a glob, not a regular expression', () => {
    const rules = new FaultRules();
    rules.set([{ path: '/a.b', fault: 'reset' }]);
    expect(rules.match(request('GET', '/axb'))).toBeUndefined();
    expect(rules.match(request('GET', '/a.b'))).toBeDefined();
  });

  it('a count is spent by matching requests only; the first applicable rule wins', () => {
    const rules = new FaultRules();
    rules.set([
      { includes: 'x', fault: 'status', status: 503, count: 2 },
      { fault: 'latency', latencyMs: 1 },
    ]);
    expect(rules.match(request('GET', '/y'))?.fault).toBe('latency'); // does not spend rule 0
    expect(rules.match(request('GET', '/x'))?.fault).toBe('status');
    expect(rules.match(request('GET', '/x'))?.fault).toBe('status');
    expect(rules.match(request('GET', '/x'))?.fault).toBe('latency');
    expect(rules.list().map((rule) => rule.hits)).toEqual([2, 2]);
  });

  it('a probability draws from the seed: the same seed gives the same faults, another seed others', () => {
    const pattern = (seed: number) => {
      const rules = new FaultRules();
      rules.set([{ fault: 'reset', probability: 0.3, seed }]);
      return Array.from({ length: 200 }, () => (rules.match(request('GET', '/')) ? 1 : 0)).join('');
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
    const never = new FaultRules();
    never.set([{ fault: 'reset', probability: 0 }]);
    expect(never.match(request('GET', '/'))).toBeUndefined();
  });

  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const value = a();
      expect(value).toBe(b());
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('refuses invalid rules and keeps the previous ones', () => {
    const rules = new FaultRules();
    rules.set([{ fault: 'reset' }]);
    for (const bad of [
      { fault: 'explode' },
      { fault: 'latency' },
      { fault: 'status' },
      { fault: 'status', status: 42 },
      { fault: 'reset', probability: 2 },
      { fault: 'reset', count: 0 },
      { fault: 'reset', tenant: 'x' },
      'reset',
    ]) {
      expect(() => rules.set([{ fault: 'reset' }, bad]), JSON.stringify(bad)).toThrow(FaultRuleError);
    }
    expect(rules.list()).toEqual([{ fault: 'reset', id: 1, hits: 0 }]);
    expect(() => rules.add([{ fault: 'reset' }, { fault: 'nope' }])).toThrow(FaultRuleError);
    expect(rules.list()).toHaveLength(1);
  });
});

describe('the control endpoint', () => {
  it('is not there unless the stand-in was started with faultControl', async () => {
    const server = await startLocalPinecone({ apiKey: API_KEY, dimension: 3 });
    try {
      const res = await fetch(`${server.host}/__faults`, {
        method: 'POST',
        headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ rules: [{ fault: 'reset' }] }),
      });
      expect(res.status).not.toBe(200);
      expect(server.faults.list()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('adds, lists and removes rules by id, and clears them, when it is', async () => {
    const server = await startLocalPinecone({ apiKey: API_KEY, dimension: 3, faultControl: true });
    try {
      const url = `${server.host}/__faults`;
      const add = (rules: unknown[]) => fetch(url, { method: 'POST', body: JSON.stringify({ rules }) });
      const first = await add([{ fault: 'hang', count: 1 }]);
      expect(await first.json()).toEqual({ ids: [1] });
      expect(await (await add([{ fault: 'reset', includes: 'b' }])).json()).toEqual({ ids: [2] });
      expect(await (await fetch(url)).json()).toEqual({
        rules: [
          { fault: 'hang', count: 1, id: 1, hits: 0 },
          { fault: 'reset', includes: 'b', id: 2, hits: 0 },
        ],
      });
      expect((await add([{ fault: 'nope' }])).status).toBe(400);
      expect(server.faults.list()).toHaveLength(2);
      expect((await fetch(`${url}?id=1`, { method: 'DELETE' })).status).toBe(200);
      expect(server.faults.list().map((rule) => rule.id)).toEqual([2]);
      expect((await fetch(url, { method: 'DELETE' })).status).toBe(200);
      expect(server.faults.list()).toEqual([]);
      expect(server.requests()).toBe(0); // control traffic is not counted as data-plane round trips
    } finally {
      await server.close();
    }
  });
});
