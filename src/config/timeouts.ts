// Every outbound call's time limit and the request deadline, in one place. A dependency that hangs
// must become a 503 `unavailable` with Retry-After, never a request that hangs with it
// (docs/threat-model.md T67). Each limit is a few times what a healthy call takes at the edge, so a
// slow-but-working dependency still answers, and all of them sit well under the request deadline,
// so the failing call's own 503 (which names the dependency) normally comes before the deadline's.
export const TIMEOUTS = {
  /**
   * The whole request, from the first middleware to the response (src/http/request-deadline.ts).
   * Above any one call's limit plus the Pinecone client's one retry, so a single slow call is
   * reported by its own timeout; ingesting a large text (many embed/upsert batches) is what this
   * bounds. A streamed answer is bounded until its response starts, not while it streams.
   */
  requestDeadlineMs: 20_000,
  /**
   * One SQL-over-HTTP batch (withTenant). A request's batch runs in milliseconds; Neon wakes a
   * suspended compute in about half a second. 5 s is ten such wakes.
   */
  databaseHttpMs: 5_000,
  /** Opening a WebSocket connection to Postgres (withTenantTransaction): handshake plus auth. */
  databaseConnectMs: 3_000,
  /** One statement on that connection; an interactive transaction holds row locks while it waits. */
  databaseQueryMs: 5_000,
  /** One Pinecone data-plane call (the client retries a 5xx once, so at most two of these). */
  vectorStoreMs: 5_000,
  /**
   * One object-store call, the body included: ingestion reads an uploaded file (up to the tenant's
   * maxUploadBytes, a few MB) in this time.
   */
  objectStoreMs: 8_000,
  /** The identity provider's JWKS (user JWTs); a failure is cooled down, see src/tenancy/user-token.ts. */
  jwksMs: 3_000,
} as const;

/** Retry-After, in seconds, of a request that ran out of time. */
export const DEADLINE_RETRY_AFTER_SECONDS = '2';
