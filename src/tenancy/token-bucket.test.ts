import { describe, expect, it } from 'vitest';
import { type BucketState, takeToken } from './token-bucket.ts';

const limits = { requestsPerMinute: 60, burst: 3 };

function run(times: number[], bucketLimits = limits) {
  let state: BucketState | undefined;
  return times.map((now) => {
    const next = takeToken(state, bucketLimits, now);
    state = next.state;
    return next.verdict;
  });
}

describe('takeToken', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const verdicts = run([0, 0, 0, 0]);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[3]?.retryAfterSeconds).toBe(1);
    expect(verdicts[2]?.remaining).toBe(0);
  });

  it('refills at requestsPerMinute and never above the burst', () => {
    expect(run([0, 0, 0, 1_000]).map((v) => v.allowed)).toEqual([true, true, true, true]);
    expect(run([0, 600_000, 600_000, 600_000, 600_000]).map((v) => v.allowed)).toEqual([true, true, true, true, false]);
  });

  it('rounds a slow refill up to whole seconds', () => {
    const verdicts = run([0, 0], { requestsPerMinute: 2, burst: 1 });
    expect(verdicts[1]).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 30,
      capacity: 1,
      refillPerMinute: 2,
      resetSeconds: 30,
    });
  });

  it('applies a lowered burst at once', () => {
    const { state } = takeToken(undefined, { requestsPerMinute: 60, burst: 100 }, 0);
    expect(takeToken(state, { requestsPerMinute: 60, burst: 1 }, 0).verdict.remaining).toBe(0);
  });

  it('reports the capacity (the limit) and the seconds until the bucket is full again as the reset', () => {
    const verdicts = run([0, 0, 0, 0]);
    expect(verdicts.map((v) => [v.capacity, v.remaining, v.resetSeconds])).toEqual([
      [3, 2, 1],
      [3, 1, 2],
      [3, 0, 3],
      [3, 0, 3],
    ]);
    // Refused: one token is back sooner (Retry-After) than the whole burst (the reset).
    expect(verdicts[3]).toMatchObject({ allowed: false, retryAfterSeconds: 1, resetSeconds: 3, refillPerMinute: 60 });
  });

  it('counts the reset from the fractional tokens, rounded up to whole seconds', () => {
    // 2.5 tokens back after 2.5 s, one taken: 1.5 missing at one a second.
    const verdicts = run([0, 0, 0, 2_500]);
    expect(verdicts[3]).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 2 });
  });
});
