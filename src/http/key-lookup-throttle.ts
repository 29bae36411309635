// Throttles unrecognised API keys per client address, before tenant resolution (threat model T43).
// A well-formed forged key (anyone can compute the checksum) would otherwise reach Postgres on every
// request, since no tenant is known yet to meter it against. So, before resolveTenant:
//   - a key the isolate answers itself (malformed, or verified or refused within its TTL, see
//     src/tenancy/api-key-verifier.ts) passes untouched: it costs no lookup;
//   - a key this isolate has verified before (`known`) passes: its lookup re-checks revocation and
//     is not a forgery;
//   - any other key costs one count from the client's allowance in the Workers rate-limit binding
//     KEY_LOOKUP_LIMITER (UNRECOGNISED_KEYS_PER_MINUTE per client address and minute, per
//     Cloudflare location); past it, 429 `rate_limited` with Retry-After. A valid key this isolate
//     has never seen waits like a forgery from that address: the two cannot be told apart without
//     the lookup the throttle is there to save. From any other address it works at once.
// Without a client address (src/http/client-address.ts: the request did not come through the edge)
// nothing is counted; the refused-key cache still applies. If the binding fails, the request fails
// closed (503, Retry-After), like the tenant rate limit.
import { createMiddleware } from 'hono/factory';
import { databaseKeyStore } from '../db/database-key-store.ts';
import { ApiError } from '../domain/api-error.ts';
import { type ApiKeyVerifier, apiKeyVerifier } from '../tenancy/api-key-verifier.ts';
import type { KeyStore } from '../tenancy/key-store.ts';
import type { AppEnv } from './app-env.ts';
import { clientAddress } from './client-address.ts';
import { readCredentials } from './credentials.ts';

/** Must equal `simple.limit` of KEY_LOOKUP_LIMITER in wrangler.toml (its `period` is 60). */
export const UNRECOGNISED_KEYS_PER_MINUTE = 20;
const PERIOD_SECONDS = 60;

/**
 * The one verifier the throttle and resolveTenant must share (the throttle reads its caches): the
 * caller's own, or the default resolveTenant would build.
 */
export function edgeApiKeys(options: { apiKeys?: ApiKeyVerifier; keyStore?: KeyStore }): ApiKeyVerifier {
  return options.apiKeys ?? apiKeyVerifier({ store: options.keyStore ?? databaseKeyStore() });
}

export const keyLookupThrottle = (options: { apiKeys: ApiKeyVerifier }) =>
  createMiddleware<AppEnv>(async function keyLookupThrottle(c, next) {
    const client = clientAddress(c.req.raw.headers);
    const apiKey = client === undefined ? undefined : presentedApiKey(c.req.raw.headers);
    if (client === undefined || apiKey === undefined || options.apiKeys.lookupNeed(apiKey) !== 'unknown') {
      return next();
    }
    let allowed: boolean;
    try {
      ({ success: allowed } = await c.env.KEY_LOOKUP_LIMITER.limit({ key: client }));
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), error: String(error) }));
      throw new ApiError('unavailable', 'Service temporarily unavailable', { 'Retry-After': '1' });
    }
    if (!allowed) {
      // The binding does not say when its window ends; it ends within one period.
      throw new ApiError('rate_limited', 'Too many unrecognised API keys from this client', {
        'Retry-After': String(PERIOD_SECONDS),
      });
    }
    return next();
  });

/** The API key the request presents, if any; a malformed header is left for resolveTenant to refuse. */
function presentedApiKey(headers: Headers): string | undefined {
  try {
    return readCredentials(headers, false).apiKey;
  } catch {
    return undefined;
  }
}
