// Each soak tenant calls from its own loopback address (127.0.1.N), as a tenant's users are other
// clients than another tenant's: the Worker's per-client limits (the unrecognised-key throttle,
// 20 new keys a minute per address) then see fifty clients, not one. node:http, because fetch
// cannot choose its source address without a dispatcher package.
import { request } from 'node:http';

export interface Answer {
  status: number;
  text: string;
}

export function loopbackAddress(index: number) {
  return `127.0.${1 + Math.floor(index / 250)}.${2 + (index % 250)}`;
}

export function callFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: init.headers,
        localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
