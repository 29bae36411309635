// Neon's SQL-over-HTTP protocol (`POST /sql`) in front of a real PostgreSQL.
// The Worker talks to it through @neondatabase/serverless unchanged; only `neonConfig.fetchEndpoint`
// differs locally. Wire format, as the driver speaks it: POST with the Neon-Connection-String,
// Neon-Raw-Text-Output and Neon-Array-Mode headers (optionally Neon-Batch-*), a body of {query,
// params} or {queries: [...]}; the answer holds fields and rows as Postgres text; errors are HTTP
// 400 with Postgres error fields.
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import type { HttpFaultHook } from '../faults.ts';
import { assertLoopbackHost } from './loopback.ts';

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

// Neon answers with Postgres text; the client parses by dataTypeID. Never parse here.
const rawText = { getTypeParser: () => (value: string) => value };

const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

interface WireQuery {
  query: string;
  params?: unknown[];
}

export class SqlOverHttp {
  readonly #pools = new Map<string, pg.Pool>();
  /** Requests answered, for counting edge→database round trips in benchmarks and tests. */
  requests = 0;
  /** Injected faults (local/faults.ts), applied once the body is read. */
  faults?: HttpFaultHook;

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    try {
      const text = await readBody(req);
      if ((await this.faults?.(req, res, text)) === 'answered') return;
      const connectionString = header(req, 'neon-connection-string');
      if (!connectionString) {
        reply(res, 400, { message: 'missing Neon-Connection-String header' });
        return;
      }
      const body = parseBody(text);
      const pool = this.#pool(connectionString);
      const result =
        'queries' in body
          ? { results: await runBatch(pool, body.queries, batchOptions(req)) }
          : await runSingle(pool, body);
      reply(res, 200, result);
    } catch (error) {
      replyError(res, error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.end()));
    this.#pools.clear();
  }

  #pool(connectionString: string): pg.Pool {
    let pool = this.#pools.get(connectionString);
    if (!pool) {
      const url = new URL(connectionString);
      assertLoopbackHost(url.hostname);
      pool = new pg.Pool({ connectionString, max: 20, idleTimeoutMillis: 10_000 });
      pool.on('error', () => {}); // an idle client dying is not the request's error
      this.#pools.set(connectionString, pool);
    }
    return pool;
  }
}

function batchOptions(req: IncomingMessage): string {
  const parts: string[] = [];
  const level = header(req, 'neon-batch-isolation-level');
  if (level) {
    const sql = ISOLATION_LEVELS[level];
    if (!sql) throw new BadRequest(`invalid Neon-Batch-Isolation-Level: ${level}`);
    parts.push(`ISOLATION LEVEL ${sql}`);
  }
  const readOnly = header(req, 'neon-batch-read-only');
  if (readOnly === 'true') parts.push('READ ONLY');
  if (readOnly === 'false') parts.push('READ WRITE');
  const deferrable = header(req, 'neon-batch-deferrable');
  if (deferrable === 'true') parts.push('DEFERRABLE');
  if (deferrable === 'false') parts.push('NOT DEFERRABLE');
  return parts.join(' ');
}

async function runSingle(pool: pg.Pool, query: WireQuery) {
  return withSession(pool, (client) => execute(client, query));
}

async function runBatch(pool: pg.Pool, queries: WireQuery[], options: string) {
  return withSession(pool, async (client) => {
    await client.query(`BEGIN ${options}`);
    try {
      const results = [];
      for (const query of queries) results.push(await execute(client, query));
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

/** One pooled session per request, reset with DISCARD ALL afterwards as Neon does. */
async function withSession<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A backend that dies mid-request (terminated, server restart) emits 'error' on the checked-out
  // client; without a listener that would crash the whole local stack instead of failing one request.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    try {
      await client.query('DISCARD ALL');
    } catch (error) {
      broken = error as Error;
    }
    client.off('error', onError);
    client.release(broken);
  }
}

async function execute(client: pg.PoolClient, { query, params = [] }: WireQuery) {
  // Extended protocol always: like Neon, a string holding several statements is refused.
  const result = await client.query({
    text: query,
    values: params as unknown[],
    rowMode: 'array',
    types: rawText,
    queryMode: 'extended',
  } as pg.QueryConfig & { queryMode: 'extended' });
  return {
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: true,
    fields: result.fields.map((field) => ({
      name: field.name,
      tableID: field.tableID,
      columnID: field.columnID,
      dataTypeID: field.dataTypeID,
      dataTypeSize: field.dataTypeSize,
      dataTypeModifier: field.dataTypeModifier,
      format: field.format,
    })),
    rows: result.rows,
  };
}

class BadRequest extends Error {}

function parseBody(text: string): WireQuery | { queries: WireQuery[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
  const isQuery = (q: unknown): q is WireQuery =>
    typeof q === 'object' &&
    q !== null &&
    typeof (q as WireQuery).query === 'string' &&
    ((q as WireQuery).params === undefined || Array.isArray((q as WireQuery).params));
  if (typeof body === 'object' && body !== null && 'queries' in body) {
    const { queries } = body as { queries: unknown };
    if (Array.isArray(queries) && queries.every(isQuery)) return { queries };
  } else if (isQuery(body)) {
    return body;
  }
  throw new BadRequest('expected {query, params} or {queries: [{query, params}]}');
}

function replyError(res: ServerResponse, error: unknown): void {
  if (error instanceof pg.DatabaseError) {
    const body: Record<string, unknown> = { message: error.message };
    for (const field of ERROR_FIELDS) if (error[field] !== undefined) body[field] = error[field];
    reply(res, 400, body);
  } else if (error instanceof BadRequest) {
    reply(res, 400, { message: error.message });
  } else {
    // The database is unreachable: a transient server-side failure, as Neon reports it.
    const message = error instanceof Error ? error.message : String(error);
    reply(res, 503, { message: `could not reach the database: ${message}` });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
