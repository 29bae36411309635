// T43 through the whole app: well-formed forged API keys (anyone can compute the checksum) are
// throttled per client address before they reach Postgres, and a refused key is remembered in the
// isolate, so a flood of them costs a bounded number of database lookups.
//   - each client address gets 20 lookups a minute of keys this isolate has never verified (the
//     Workers rate-limit binding KEY_LOOKUP_LIMITER, a fixed window: a flood that straddles the
//     window's end gets at most two windows' worth); past that, 429 with Retry-After;
//   - a key this isolate has verified keeps working from a throttled address; a key it has never
//     verified waits like any other unrecognised key from there (it cannot be told from a forgery
//     without the lookup the throttle is there to save);
//   - the same refused key again is answered from the isolate for 30 s, without a lookup.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { databaseKeyStore } from '../../../src/db/database-key-store.ts';
import { UNRECOGNISED_KEYS_PER_MINUTE } from '../../../src/http/key-lookup-throttle.ts';
import { mintApiKey } from '../../../src/tenancy/api-key-format.ts';
import { call, demoTenant, type ErrorBody } from './harness.ts';
import { countingKeyStore, insertKey, removeInsertedKeys } from './key-fixtures.ts';

const acme = await demoTenant('acme');
const LOOKUPS_PER_MINUTE = 20;
// Fresh addresses per run, so no earlier run's window is still counting them.
const run = crypto.getRandomValues(new Uint8Array(2));
const address = (n: number) => `198.18.${run[0]}.${(run[1] as number) ^ n}`;

afterAll(removeInsertedKeys);

/** A key with a valid checksum that no tenant has. */
const forged = async () => (await mintApiKey('secret')).key;

function counted() {
  const counting = countingKeyStore(databaseKeyStore());
  const app = createApp({ keyStore: counting.store });
  const send = (key: string, ip?: string) =>
    call('/v1/whoami', { headers: { 'x-api-key': key, ...(ip && { 'cf-connecting-ip': ip }) } }, app);
  return { send, lookups: counting.calls };
}

describe('forged API keys are throttled before the database (T43)', () => {
  it('120 forged keys from one address: bounded lookups, then 429 with Retry-After', async () => {
    // The constant the code states is the binding's limit in wrangler.toml, which this test measures.
    expect(UNRECOGNISED_KEYS_PER_MINUTE).toBe(LOOKUPS_PER_MINUTE);
    const { send, lookups } = counted();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 120; i++) {
      const res = await send(await forged(), address(1));
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(((await res.json()) as ErrorBody).error.code).toBe('rate_limited');
      } else await res.body?.cancel();
    }
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    // The first LOOKUPS_PER_MINUTE are looked up and refused; then the throttle answers (a window
    // ending during the loop lets up to LOOKUPS_PER_MINUTE more through).
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThanOrEqual(LOOKUPS_PER_MINUTE);
    expect(firstLimited).toBeLessThanOrEqual(2 * LOOKUPS_PER_MINUTE);
    expect(lookups.length).toBeLessThanOrEqual(2 * LOOKUPS_PER_MINUTE);
    expect(statuses.filter((status) => status === 401)).toHaveLength(lookups.length);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('another address is unaffected; a key verified before the flood still works from the flooding one', async () => {
    const { send, lookups } = counted();
    const fresh = await insertKey(acme.id);
    expect((await send(acme.secretKey, address(2))).status).toBe(200);
    let status = 0;
    for (let i = 0; i <= 2 * LOOKUPS_PER_MINUTE && status !== 429; i++) {
      const res = await send(await forged(), address(2));
      status = res.status;
      await res.body?.cancel();
    }
    expect(status).toBe(429);

    // The key this isolate verified: still 200 from the throttled address, and costs no lookup.
    const before = lookups.length;
    expect((await send(acme.secretKey, address(2))).status).toBe(200);
    expect(lookups.length).toBe(before);
    // A key this isolate never verified waits like any unrecognised key from that address…
    const waiting = await send(fresh.key, address(2));
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // …and works at once from any other address; forged keys from there are looked up and refused.
    expect((await send(fresh.key, address(3))).status).toBe(200);
    expect((await send(await forged(), address(3))).status).toBe(401);
  });

  it('the same forged key again is answered from the isolate: one lookup, never a 429', async () => {
    const { send, lookups } = counted();
    const key = await forged();
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push((await send(key, address(4))).status);
    expect(statuses).toEqual(Array(50).fill(401));
    expect(lookups).toHaveLength(1);
  });

  it('without CF-Connecting-IP (the request did not come through the edge) no client is throttled', async () => {
    const { send, lookups } = counted();
    const statuses = [];
    for (let i = 0; i < LOOKUPS_PER_MINUTE + 5; i++) statuses.push((await send(await forged())).status);
    expect(statuses).toEqual(statuses.map(() => 401));
    expect(lookups).toHaveLength(LOOKUPS_PER_MINUTE + 5);
  });
});
