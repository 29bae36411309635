// Every fault kind, injected through each HTTP stand-in's /__faults endpoint and seen through the
// client library the Worker uses against it (the v9 Pinecone client, aws4fetch). What a fault does
// to a client is what the Worker's timeouts and 503s are tested against in test/worker/faults/.
import { Pinecone } from '@pinecone-database/pinecone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../local/faults.ts';
import { type LocalPinecone, startLocalPinecone } from '../../../local/pinecone/server.ts';
import { type LocalS3, startLocalS3 } from '../../../local/s3/server.ts';
import { API_KEY } from './pinecone-harness.ts';
import { ADMIN, BUCKET, client, objectUrl, REGION } from './s3-harness.ts';

const TIMEOUT_MS = 300;
const bounded: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });

async function setFaults(base: string, rules: FaultRule[]) {
  const res = await fetch(`${base}/__faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Whether the call succeeded, and how long it took. */
async function attempt(call: () => Promise<unknown>) {
  const started = performance.now();
  const outcome = await call().then(
    () => 'ok',
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );
  return { outcome, ms: performance.now() - started };
}

describe('local Pinecone', () => {
  let server: LocalPinecone;
  beforeAll(async () => {
    server = await startLocalPinecone({ apiKey: API_KEY, dimension: 3, faultControl: true });
  });
  afterAll(() => server.close());
  const index = (maxRetries = 0) =>
    new Pinecone({ apiKey: API_KEY, maxRetries, fetchApi: bounded }).index({ host: server.host }).namespace('tenant-a');
  const upsert = (maxRetries = 0) => index(maxRetries).upsert({ records: [{ id: 'v1', values: [1, 0, 0] }] });

  it('each fault kind fails the call; a clean request afterwards succeeds', async () => {
    const cases: Array<[FaultRule['fault'], Partial<FaultRule>]> = [
      ['status', { status: 503 }],
      ['reset', {}],
      ['hang', {}],
      ['truncate', {}],
    ];
    for (const [fault, extra] of cases) {
      await setFaults(server.host, [{ fault, path: '/vectors/upsert', includes: 'tenant-a', count: 1, ...extra }]);
      const { outcome } = await attempt(() => upsert());
      expect(outcome, fault).not.toBe('ok');
      expect((await attempt(() => upsert())).outcome, `${fault}, then clean`).toBe('ok');
    }
  });

  it('a counted 503 is absorbed by the client’s one retry; a fault for another namespace is not seen', async () => {
    await setFaults(server.host, [{ fault: 'status', status: 503, count: 1 }]);
    expect((await attempt(() => upsert(1))).outcome).toBe('ok');
    await setFaults(server.host, [{ fault: 'reset', includes: 'tenant-b' }]);
    expect((await attempt(() => upsert())).outcome).toBe('ok');
  });

  it('latency delays the answer and still answers', async () => {
    await setFaults(server.host, [{ fault: 'latency', latencyMs: 120 }]);
    const { outcome, ms } = await attempt(() => upsert());
    expect(outcome).toBe('ok');
    expect(ms).toBeGreaterThanOrEqual(115);
    await setFaults(server.host, []);
  });
});

describe('local S3', () => {
  let s3: LocalS3;
  const key = 'tenants/a/doc/file.txt';
  const aws = client(ADMIN);
  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: BUCKET, region: REGION, credentials: [ADMIN], faultControl: true });
    expect((await aws.fetch(objectUrl(s3.endpoint, key), { method: 'PUT', body: 'x'.repeat(1000) })).status).toBe(200);
  });
  afterAll(() => s3.close());
  const get = async () => {
    const signed = await aws.sign(objectUrl(s3.endpoint, key));
    const res = await bounded(signed);
    const text = await res.text(); // a cut body fails here
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return text;
  };

  it('status answers S3’s XML error; reset, hang and truncate fail the exchange; then clean', async () => {
    await setFaults(s3.endpoint, [{ fault: 'status', status: 503, count: 1 }]);
    const signed = await aws.sign(objectUrl(s3.endpoint, key));
    const res = await fetch(signed);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('<Code>SlowDown</Code>');
    for (const fault of ['reset', 'hang', 'truncate'] as const) {
      await setFaults(s3.endpoint, [{ fault, includes: 'tenants/a/', count: 1 }]);
      expect((await attempt(get)).outcome, fault).not.toBe('ok');
      expect((await attempt(get)).outcome, `${fault}, then clean`).toBe('ok');
    }
  });

  it('truncate keeps the status and declared length and sends half the body', async () => {
    await setFaults(s3.endpoint, [{ fault: 'truncate', count: 1 }]);
    const signed = await aws.sign(objectUrl(s3.endpoint, key));
    const res = await fetch(signed);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    await expect(res.text()).rejects.toThrow();
  });
});
