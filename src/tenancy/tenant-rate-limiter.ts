// One Durable Object per tenant (addressed by tenant id) holds that tenant's token bucket, so the
// limit is global across isolates and colos and one tenant's bucket can never drain another's.
// The same class, addressed by `${tenantId}:publishable` (src/http/rate-limit.ts), holds the bucket that
// all of the tenant's publishable (widget) keys share, and under it one bucket per client address:
// a public key can spend only the widget's share, and one client only its share of that.
// Buckets live in memory: if the object is evicted they restart full, which can admit at most one
// extra burst, and it avoids a storage write on every request.
import { DurableObject } from 'cloudflare:workers';
import {
  type BucketLimits,
  type BucketState,
  isFullAt,
  type NestedRateVerdict,
  type RateVerdict,
  takeToken,
  takeTokenWithin,
} from './token-bucket.ts';

/**
 * Client buckets one object keeps. Past this, the least recently seen client's bucket is dropped:
 * losslessly if it has refilled (the usual case), otherwise that client restarts full, which admits
 * at most one extra client burst, still inside the shared bucket.
 */
export const MAX_CLIENT_BUCKETS = 10_000;

export class TenantRateLimiter extends DurableObject<Env> {
  #bucket: BucketState | undefined;
  /** Ordered by last use, oldest first. */
  readonly #clients = new Map<string, BucketState>();

  /**
   * Takes one request from this object's bucket. Called over RPC by the rate-limit middleware; the
   * verdict carries the bucket's capacity, refill rate, whole tokens left and seconds until full,
   * which the middleware sends as the RateLimit-* headers.
   */
  take(limits: BucketLimits): RateVerdict {
    const { state, verdict } = takeToken(this.#bucket, limits, Date.now());
    this.#bucket = state;
    return verdict;
  }

  /**
   * Takes one request from `client`'s bucket and from this object's bucket, or from neither. The
   * verdict describes the bucket that refused, or the tighter of the two (takeTokenWithin).
   */
  takeWithin(limits: BucketLimits, client: { id: string; limits: BucketLimits }): NestedRateVerdict {
    const now = Date.now();
    const result = takeTokenWithin(
      { state: this.#bucket, limits },
      { state: this.#clients.get(client.id), limits: client.limits },
      now,
    );
    this.#bucket = result.shared;
    this.#clients.delete(client.id);
    if (result.client) this.#clients.set(client.id, result.client);
    this.#forgetClients(client.limits, now);
    return result.verdict;
  }

  #forgetClients(limits: BucketLimits, now: number) {
    for (const [id, state] of this.#clients) {
      // Full buckets carry no information: dropping them changes no verdict.
      if (this.#clients.size <= MAX_CLIENT_BUCKETS && !isFullAt(state, limits, now)) return;
      this.#clients.delete(id);
    }
  }
}
