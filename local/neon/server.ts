// One loopback port serving both Neon endpoints: `POST /sql` and the `/v2` WebSocket proxy.
import { createServer } from 'node:http';
import { FaultRules, handleFaultControl, httpFaultHook } from '../faults.ts';
import { freePort } from '../ports.ts';
import { SqlOverHttp } from './sql-over-http.ts';
import { WebSocketProxy } from './websocket-proxy.ts';

export interface LocalNeon {
  /** `neonConfig.fetchEndpoint` value. */
  httpEndpoint: string;
  /** `neonConfig.wsProxy` prefix: append `?address=host:port`. */
  wsProxy: string;
  stats(): { httpRequests: number; wsConnections: number };
  /** Injected faults, shared by both endpoints; set over HTTP at `/__faults` when started with faultControl. */
  faults: FaultRules;
  close(): Promise<void>;
}

export interface LocalNeonOptions {
  port?: number;
  /** Serve `/__faults` (local/faults.ts): the local stack's dev and test modes only. */
  faultControl?: boolean;
}

export async function startLocalNeon(options: LocalNeonOptions = {}): Promise<LocalNeon> {
  const faults = new FaultRules();
  const sql = new SqlOverHttp();
  sql.faults = httpFaultHook(faults, {
    errorBody: (status) => ({
      contentType: 'application/json',
      body: JSON.stringify({ message: `injected fault: HTTP ${status}` }),
    }),
  });
  const ws = new WebSocketProxy(faults);
  const server = createServer(async (req, res) => {
    if (options.faultControl && (await handleFaultControl(faults, req, res))) return;
    if (req.method === 'POST' && req.url?.split('?')[0] === '/sql') return void sql.handle(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not found' }));
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/v2')) return ws.upgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  const listenPort = options.port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return {
    httpEndpoint: `http://127.0.0.1:${listenPort}/sql`,
    wsProxy: `127.0.0.1:${listenPort}/v2`,
    stats: () => ({ httpRequests: sql.requests, wsConnections: ws.connections }),
    faults,
    async close() {
      ws.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sql.close();
    },
  };
}
