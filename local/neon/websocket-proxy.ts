// Neon's WebSocket→TCP proxy: the driver's Pool/Client speak the Postgres wire protocol over a
// WebSocket to `/v2?address=host:port`, and the proxy pipes the bytes to that TCP address.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FaultRule, FaultRules } from '../faults.ts';
import { assertLoopbackHost } from './loopback.ts';

export class WebSocketProxy {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #faults: FaultRules | undefined;
  /** Connections opened, for counting handshakes in benchmarks and tests. */
  connections = 0;

  constructor(faults?: FaultRules) {
    this.#faults = faults;
  }

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

  // Faults are matched on the client's first message, the Postgres startup packet: its user, database
  // and application_name let a test aim a rule at its own connections (`includes`).
  #pipe(ws: WebSocket, host: string, port: number): void {
    this.connections++;
    const tcp = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const pending: Buffer[] = [];
    let open = false;
    let fault: FaultRule | undefined;
    let first = true;
    let lastAnswerAt = 0;
    tcp.on('connect', () => {
      open = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    ws.on('message', (data: Buffer) => {
      if (first) {
        first = false;
        fault = this.#faults?.match({ method: 'GET', target: '/v2', body: data });
        if (fault?.fault === 'reset') return void ws.terminate();
        if (fault?.fault === 'status') return void ws.close(1011, `injected fault ${fault.status}`);
      }
      if (fault?.fault === 'hang') return; // swallowed: Postgres never hears of it, nothing comes back
      if (open) tcp.write(data);
      else pending.push(data);
    });
    tcp.on('data', (data) => {
      if (fault?.fault === 'truncate') {
        ws.send(data.subarray(0, Math.floor(data.length / 2)), () => ws.terminate());
        return;
      }
      const delay = fault?.fault === 'latency' ? (fault.latencyMs ?? 0) : 0;
      if (delay === 0) return void ws.send(data);
      // Each answer late by the same time and in order: a slow link, not a reordering one.
      lastAnswerAt = Math.max(Date.now() + delay, lastAnswerAt);
      setTimeout(() => ws.readyState === ws.OPEN && ws.send(data), lastAnswerAt - Date.now());
    });
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
