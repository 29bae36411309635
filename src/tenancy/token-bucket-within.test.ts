// A client's bucket nested in a shared one (the widget key's client buckets): a refused request
// spends from neither, so a client at its limit cannot drain the shared bucket.
import { describe, expect, it } from 'vitest';
import { type BucketState, isFullAt, shareOf, takeTokenWithin } from './token-bucket.ts';

const shared = { requestsPerMinute: 60, burst: 4 };
const perClient = { requestsPerMinute: 60, burst: 2 };

function run(clients: string[], now = 0) {
  let sharedState: BucketState | undefined;
  const states = new Map<string, BucketState | undefined>();
  const verdicts = clients.map((id) => {
    const result = takeTokenWithin(
      { state: sharedState, limits: shared },
      { state: states.get(id), limits: perClient },
      now,
    );
    sharedState = result.shared;
    states.set(id, result.client);
    return result.verdict;
  });
  return { verdicts, sharedState };
}

describe('takeTokenWithin', () => {
  it('a client at its limit is refused by its own bucket and spends none of the shared one', () => {
    const { verdicts, sharedState } = run(['a', 'a', 'a', 'a', 'a']);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false, false, false]);
    expect(verdicts[2]?.refusedBy).toBe('client');
    expect(sharedState?.tokens).toBe(2);
  });

  it('the shared bucket refuses once all clients together spent it; the refused client keeps its token', () => {
    const { verdicts } = run(['a', 'b', 'c', 'd', 'e', 'e']);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, false, false]);
    expect(verdicts[4]).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 1,
      capacity: 4,
      refillPerMinute: 60,
      resetSeconds: 4,
      refusedBy: 'shared',
    });
  });

  it('an admitted request reports the tighter bucket: the one with fewer tokens left', () => {
    const { verdicts } = run(['a', 'b', 'c', 'd']);
    // Each client has 1 of 2 left; the shared bucket 3, 2, 1, then 0 of 4.
    expect(verdicts.map((v) => [v.capacity, v.remaining])).toEqual([
      [2, 1],
      [2, 1],
      [4, 1],
      [4, 0],
    ]);
    // A tie goes to the bucket that takes longer to fill again: the shared one, 3 s against 1 s.
    expect(verdicts[2]).toMatchObject({ allowed: true, resetSeconds: 3, refillPerMinute: 60 });
    expect(verdicts[2]?.refusedBy).toBeUndefined();
  });

  it('a refusal by the client bucket reports that bucket', () => {
    const { verdicts } = run(['a', 'a', 'a']);
    expect(verdicts[2]).toMatchObject({
      allowed: false,
      refusedBy: 'client',
      capacity: 2,
      remaining: 0,
      resetSeconds: 2,
    });
  });

  it('shares round up and are never zero', () => {
    expect(shareOf({ requestsPerMinute: 30, burst: 5 }, 1 / 2)).toEqual({ requestsPerMinute: 15, burst: 3 });
    expect(shareOf({ requestsPerMinute: 1, burst: 1 }, 1 / 8)).toEqual({ requestsPerMinute: 1, burst: 1 });
  });

  it('tells when a bucket has refilled to its burst', () => {
    const state = { tokens: 0, updatedAt: 0 };
    expect(isFullAt(state, perClient, 1_999)).toBe(false);
    expect(isFullAt(state, perClient, 2_000)).toBe(true);
  });
});
