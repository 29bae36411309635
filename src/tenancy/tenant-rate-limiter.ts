// One Durable Object per tenant (addressed by tenant id) holds that tenant's token bucket, so the
// limit is global across isolates and colos and one tenant's bucket can never drain another's.
// The bucket lives in memory: if the object is evicted it restarts full, which can admit at most
// one extra burst, and it avoids a storage write on every request.
import { DurableObject } from 'cloudflare:workers';
import { type BucketLimits, type BucketState, type RateVerdict, takeToken } from './token-bucket.ts';

export class TenantRateLimiter extends DurableObject<Env> {
  #bucket: BucketState | undefined;

  /** Takes one request from this tenant's bucket. Called over RPC by the rate-limit middleware. */
  take(limits: BucketLimits): RateVerdict {
    const { state, verdict } = takeToken(this.#bucket, limits, Date.now());
    this.#bucket = state;
    return verdict;
  }
}
