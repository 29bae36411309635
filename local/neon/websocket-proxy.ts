// Neon's WebSocket→TCP proxy: the driver's Pool/Client speak the Postgres wire protocol over a
// WebSocket to `/v2?address=host:port`, and the proxy pipes the bytes to that TCP address.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { assertLoopbackHost } from './loopback.ts';

export class WebSocketProxy {
  readonly #wss = new WebSocketServer({ noServer: true });
  /** Connections opened, for counting handshakes in benchmarks and tests. */
  connections = 0;

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const address = url.searchParams.get('address') ?? '';
    const [host, portText] = splitAddress(address);
    const port = Number(portText);
    try {
      assertLoopbackHost(host);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port in ${address}`);
    } catch (error) {
      socket.end(`HTTP/1.1 400 Bad Request\r\n\r\n${(error as Error).message}`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#pipe(ws, host, port));
  }

  close(): void {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }

  #pipe(ws: WebSocket, host: string, port: number): void {
    this.connections++;
    const tcp = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const pending: Buffer[] = [];
    let open = false;
    tcp.on('connect', () => {
      open = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    ws.on('message', (data: Buffer) => (open ? tcp.write(data) : pending.push(data)));
    tcp.on('data', (data) => ws.send(data));
    tcp.on('close', () => ws.close());
    tcp.on('error', () => ws.terminate());
    ws.on('close', () => tcp.destroy());
    ws.on('error', () => tcp.destroy());
  }
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  return at < 0 ? [address, ''] : [address.slice(0, at), address.slice(at + 1)];
}
