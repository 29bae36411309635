// The Neon driver, pointed at real Neon by default and at the local endpoints when configured.
// Only `neonConfig` differs between the two: the code path is the same.
import { type NeonQueryFunction, neon, neonConfig, Pool } from '@neondatabase/serverless';
import type { Settings } from '../config/settings.ts';

function pointDriverAt(settings: Settings): void {
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
  const pool = new Pool({ connectionString: settings.DATABASE_URL, max });
  // An idle connection that closes (e.g. as the pool ends) is dropped by the pool; without a
  // listener the event would be an uncaught error. A query that needed it reports its own failure.
  pool.on('error', () => {});
  return pool;
}
