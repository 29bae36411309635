// A local Pinecone data plane for one dense index (Pinecone Local is Docker-only). The real v9
// client talks to it unchanged: `new Pinecone({ apiKey }).index({ name, host })` with `host` as
// returned here; the scheme must be included, since the client prefixes `https://` otherwise.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FaultRules, type HttpFaultHook, handleFaultControl, httpFaultHook } from '../faults.ts';
import { freePort } from '../ports.ts';
import { badRequest, PineconeApiError, unauthenticated } from './errors.ts';
import { IndexStore } from './index-store.ts';
import { route } from './router.ts';
import { METRICS } from './similarity.ts';
import { MAX_BODY_BYTES } from './validation.ts';

export interface LocalPineconeOptions {
  apiKey: string;
  dimension: number;
  /** Default `cosine`. */
  metric?: 'cosine' | 'dotproduct' | 'euclidean';
  /** Persist to this JSON file (written after each change, atomically via rename); in memory when absent. */
  dataFile?: string;
  port?: number;
  /** Serve `/__faults` (local/faults.ts): the local stack's dev and test modes only. */
  faultControl?: boolean;
}

export interface LocalPinecone {
  /** `http://127.0.0.1:PORT` */
  host: string;
  /** Requests received, rejected ones included: round trips for tests and benchmarks to count. */
  requests(): number;
  /** Injected faults; set over HTTP at `/__faults` when started with faultControl. */
  faults: FaultRules;
  close(): Promise<void>;
}

export async function startLocalPinecone(options: LocalPineconeOptions): Promise<LocalPinecone> {
  const metric = options.metric ?? 'cosine';
  if (!METRICS.includes(metric)) throw new Error(`unknown metric ${metric}`);
  if (!Number.isInteger(options.dimension) || options.dimension < 1) {
    throw new Error(`dimension must be a positive integer, not ${options.dimension}`);
  }
  const store = new IndexStore({ dimension: options.dimension, metric, dataFile: options.dataFile });
  let requests = 0;
  const faults = new FaultRules();
  const hook = httpFaultHook(faults, {
    // UNAVAILABLE, in Pinecone's google.rpc.Status shape.
    errorBody: (status) => ({
      contentType: 'application/json',
      body: JSON.stringify({ code: 14, message: `injected fault: HTTP ${status}`, details: [] }),
    }),
  });
  const server = createServer(async (req, res) => {
    if (options.faultControl && (await handleFaultControl(faults, req, res))) return;
    requests++;
    void answer(store, options.apiKey, req, res, hook);
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    host: `http://127.0.0.1:${port}`,
    requests: () => requests,
    faults,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function answer(
  store: IndexStore,
  apiKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  faults: HttpFaultHook,
): Promise<void> {
  try {
    const { bytes, size } = await readBody(req);
    if ((await faults(req, res, bytes)) === 'answered') return;
    if (req.headers['api-key'] !== apiKey) throw unauthenticated();
    if (size > MAX_BODY_BYTES) {
      throw badRequest(`request size ${size} bytes exceeds the maximum supported size of 2 MB`);
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const result = route(store, {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: parseJson(bytes),
    });
    reply(res, 200, result);
  } catch (error) {
    if (error instanceof PineconeApiError) return reply(res, error.status, error);
    reply(res, 500, { code: 13, message: error instanceof Error ? error.message : String(error), details: [] });
  }
}

// Reads the whole body even past the limit: answering before the client finished sending would
// reset its connection instead of giving it the 400 Pinecone gives.
async function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), size };
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}
