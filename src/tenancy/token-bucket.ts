// A token bucket: `burst` requests at once, refilled at `requestsPerMinute`. Pure, so the Durable
// Object that holds one per tenant and the tests share the same arithmetic. Each verdict also
// describes the bucket for the RateLimit-* response headers (src/http/rate-limit.ts): its capacity,
// the whole tokens left and the seconds until it is full again.

export interface BucketLimits {
  requestsPerMinute: number;
  burst: number;
}

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Whole seconds until one token is back; 0 when allowed. */
  retryAfterSeconds: number;
  /** The bucket's capacity: its burst. */
  capacity: number;
  /** The bucket's refill rate. */
  refillPerMinute: number;
  /** Whole seconds until the bucket is full again (all `capacity` tokens back), rounded up. */
  resetSeconds: number;
}

/**
 * A verdict from a client's bucket nested in a shared one: which of the two refused, if any. Its
 * numbers are those of the bucket that refused, or, when both admitted, of the tighter one.
 */
export interface NestedRateVerdict extends RateVerdict {
  refusedBy?: 'client' | 'shared';
}

/** Takes one token at time `now` (ms); returns the next state and the verdict. */
export function takeToken(
  state: BucketState | undefined,
  limits: BucketLimits,
  now: number,
): { state: BucketState; verdict: RateVerdict } {
  const perMs = limits.requestsPerMinute / 60_000;
  const previous = state ?? { tokens: limits.burst, updatedAt: now };
  // Clamped to the current burst, so lowering a tenant's limit takes effect at once.
  const elapsed = Math.max(0, now - previous.updatedAt);
  const tokens = Math.min(limits.burst, previous.tokens + elapsed * perMs);
  const bucket = (left: number) => ({
    capacity: limits.burst,
    refillPerMinute: limits.requestsPerMinute,
    resetSeconds: Math.ceil((limits.burst - left) / perMs / 1000),
  });
  if (tokens >= 1) {
    const next = { tokens: tokens - 1, updatedAt: now };
    const remaining = Math.floor(next.tokens);
    return { state: next, verdict: { allowed: true, remaining, retryAfterSeconds: 0, ...bucket(next.tokens) } };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  return {
    state: { tokens, updatedAt: now },
    verdict: { allowed: false, remaining: 0, retryAfterSeconds, ...bucket(tokens) },
  };
}

/**
 * `fraction` of a bucket's limits, each rounded up so that no share is ever zero: e.g. half of
 * 30/min with a burst of 5 is 15/min with a burst of 3.
 */
export function shareOf(limits: BucketLimits, fraction: number): BucketLimits {
  return {
    requestsPerMinute: Math.max(1, Math.ceil(limits.requestsPerMinute * fraction)),
    burst: Math.max(1, Math.ceil(limits.burst * fraction)),
  };
}

/**
 * Takes one token from a client's bucket and from the shared bucket it sits under, or from neither.
 * The client's bucket is asked first and a refused request spends nothing, so a client at its own
 * limit can never spend the shared bucket's tokens, and one refused by the shared bucket keeps its
 * own. A client bucket that is `undefined` is full. An admitted request is described by the tighter
 * of the two buckets: the one with fewer whole tokens left (on a tie, the one that takes longer to
 * fill again), as draft-ietf-httpapi-ratelimit-headers asks of several windows.
 */
export function takeTokenWithin(
  shared: { state: BucketState | undefined; limits: BucketLimits },
  client: { state: BucketState | undefined; limits: BucketLimits },
  now: number,
): { shared: BucketState | undefined; client: BucketState | undefined; verdict: NestedRateVerdict } {
  const own = takeToken(client.state, client.limits, now);
  if (!own.verdict.allowed) {
    return { shared: shared.state, client: own.state, verdict: { ...own.verdict, refusedBy: 'client' } };
  }
  const common = takeToken(shared.state, shared.limits, now);
  if (!common.verdict.allowed) {
    return { shared: common.state, client: client.state, verdict: { ...common.verdict, refusedBy: 'shared' } };
  }
  return { shared: common.state, client: own.state, verdict: tighter(own.verdict, common.verdict) };
}

function tighter(a: RateVerdict, b: RateVerdict): RateVerdict {
  if (a.remaining !== b.remaining) return a.remaining < b.remaining ? a : b;
  return a.resetSeconds >= b.resetSeconds ? a : b;
}

/** Whether a bucket last touched at `state.updatedAt` has refilled to its burst by `now`. */
export function isFullAt(state: BucketState, limits: BucketLimits, now: number): boolean {
  return state.tokens + Math.max(0, now - state.updatedAt) * (limits.requestsPerMinute / 60_000) >= limits.burst;
}
