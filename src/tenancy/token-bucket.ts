// A token bucket: `burst` requests at once, refilled at `requestsPerMinute`. Pure, so the Durable
// Object that holds one per tenant and the tests share the same arithmetic.

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
  remaining: number;
  /** Whole seconds until one token is back; 0 when allowed. */
  retryAfterSeconds: number;
}

/** A verdict from a client's bucket nested in a shared one: which of the two refused, if any. */
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
  if (tokens >= 1) {
    const next = { tokens: tokens - 1, updatedAt: now };
    return { state: next, verdict: { allowed: true, remaining: Math.floor(next.tokens), retryAfterSeconds: 0 } };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  return { state: { tokens, updatedAt: now }, verdict: { allowed: false, remaining: 0, retryAfterSeconds } };
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
 * own. A client bucket that is `undefined` is full.
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
  const remaining = Math.min(own.verdict.remaining, common.verdict.remaining);
  return { shared: common.state, client: own.state, verdict: { allowed: true, remaining, retryAfterSeconds: 0 } };
}

/** Whether a bucket last touched at `state.updatedAt` has refilled to its burst by `now`. */
export function isFullAt(state: BucketState, limits: BucketLimits, now: number): boolean {
  return state.tokens + Math.max(0, now - state.updatedAt) * (limits.requestsPerMinute / 60_000) >= limits.burst;
}
