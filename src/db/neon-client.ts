// The Neon driver, pointed at real Neon by default and at the local endpoints when configured.
// Only `neonConfig` differs between the two: the code path is the same.
import { type NeonQueryFunction, neon, neonConfig, Pool } from '@neondatabase/serverless';
import { boundedFetch } from '../config/bounded-fetch.ts';
import type { Settings } from '../config/settings.ts';
import { TIMEOUTS } from '../config/timeouts.ts';

// Every SQL-over-HTTP batch has its time limit and the request's deadline; a timed-out or cut-off
// answer surfaces as the driver's NeonDbError without a SQLSTATE, which withTenant answers with 503.
const databaseFetch = boundedFetch(TIMEOUTS.databaseHttpMs);

function pointDriverAt(settings: Settings): void {
  // Unless a test has put its own fetch in (test/worker/db/failures.test.ts fails requests with one).
  neonConfig.fetchFunction ??= databaseFetch;
  if (settings.NEON_HTTP_ENDPOINT) neonConfig.fetchEndpoint = settings.NEON_HTTP_ENDPOINT;
  if (settings.NEON_WS_PROXY) {
    const proxy = settings.NEON_WS_PROXY;
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    // The local proxy is plain ws:// on loopback and Postgres there has no TLS.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

/** SQL over HTTP: one request per query or per batch transaction. */
export function httpSql(settings: Settings): NeonQueryFunction<false, false> {
  pointDriverAt(settings);
  return neon(settings.DATABASE_URL);
}

/** A WebSocket pool for interactive transactions. Create it per request and end it afterwards. */
export function webSocketPool(settings: Settings, max = 1): Pool {
  pointDriverAt(settings);
  const pool = new Pool({
    connectionString: settings.DATABASE_URL,
    max,
    // Connect and each statement are bounded: a proxy that never answers is a 503, not a hung request.
    connectionTimeoutMillis: TIMEOUTS.databaseConnectMs,
    query_timeout: TIMEOUTS.databaseQueryMs,
  });
  // An idle connection that closes (e.g. as the pool ends) is dropped by the pool; without a
  // listener the event would be an uncaught error. A query that needed it reports its own failure.
  pool.on('error', () => {});
  return pool;
}
