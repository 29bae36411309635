// The two Workers KV REST endpoints the kit calls (list keys with a cursor, bulk delete), on a
// loopback port, with the Cloudflare API's envelope and Bearer check: enough to hold the legacy
// app's unscoped cache keys in a test.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KvStandIn {
  apiBase: string;
  keys: Set<string>;
  close(): Promise<void>;
}

const PAGE = 2; // small pages, so the kit's cursor handling is exercised

export async function startKvStandIn(options: {
  accountId: string;
  namespaceId: string;
  token: string;
}): Promise<KvStandIn> {
  const keys = new Set<string>();
  const base = `/client/v4/accounts/${options.accountId}/storage/kv/namespaces/${options.namespaceId}`;
  const server = createServer(async (req, res) => {
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === `${base}/keys`) {
      const prefix = url.searchParams.get('prefix') ?? '';
      const all = [...keys].filter((k) => k.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get('cursor') || 0);
      const page = all.slice(start, start + PAGE);
      const next = start + PAGE < all.length ? String(start + PAGE) : '';
      return send(200, {
        success: true,
        errors: [],
        result: page.map((name) => ({ name })),
        result_info: { count: page.length, cursor: next },
      });
    }
    if (req.method === 'POST' && url.pathname === `${base}/bulk/delete`) {
      let body = '';
      for await (const chunk of req) body += chunk;
      const names = JSON.parse(body) as string[];
      for (const name of names) keys.delete(name);
      return send(200, {
        success: true,
        errors: [],
        result: { successful_key_count: names.length, unsuccessful_keys: [] },
      });
    }
    return send(404, { success: false, errors: [{ code: 7003, message: 'No route' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}/client/v4`,
    keys,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
