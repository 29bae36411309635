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
