// withTenantTransaction: the interactive path, for the few flows whose later statements depend
// on earlier results in code. A WebSocket Pool made for this request (Workers cannot keep one
// across requests), BEGIN, the context, the work, COMMIT. Costs a handshake and a round trip per
// statement, so withTenant (one batch) stays the default.
import type { Pool, PoolClient } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import type { Settings } from '../config/settings.ts';
import type { TenantContext } from '../tenancy/context.ts';
import { webSocketPool } from './neon-client.ts';
import { databaseUnavailable, isTransientSqlState, tenantRefusal } from './postgres-errors.ts';
import { contextStatementFor, tenantContextParams } from './tenant-context-sql.ts';
import type { TenantDatabase, TenantScope } from './tenant-scope.ts';

export interface TransactionOptions {
  /** The Worker's ctx.waitUntil: the pool closes after the response instead of before it. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export async function withTenantTransaction<T>(
  ctx: TenantContext,
  settings: Settings,
  work: (scope: TenantScope) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const pool = webSocketPool(settings);
  try {
    return await inTenantTransaction(pool, ctx, work);
  } finally {
    const closing = pool.end().catch(() => {});
    if (options.waitUntil) options.waitUntil(closing);
    else await closing;
  }
}

/** One transaction on a connection from `pool`, context first. Exported for shared-pool tests. */
export async function inTenantTransaction<T>(
  pool: Pool,
  ctx: TenantContext,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const params = tenantContextParams(ctx);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw databaseUnavailable(error);
  }
  // A connection that drops mid-transaction loses the transaction with it: nothing was committed,
  // so the only right answer is "retry", whatever error the interrupted statement reports.
  let lost = false;
  const markLost = () => {
    lost = true;
  };
  client.on('error', markLost);
  client.on('end', markLost);
  try {
    await client.query('begin');
    await client.query(contextStatementFor(ctx), params);
    const result = await work({ ctx, db: drizzle({ client }) as unknown as TenantDatabase });
    await client.query('commit');
    return result;
  } catch (error) {
    if (statementTimedOut(error)) lost = true;
    if (!lost) await client.query('rollback').catch(markLost);
    throw tenantRefusal(error) ?? (lost || isTransientSqlState(error) ? databaseUnavailable(error) : error);
  } finally {
    client.off('error', markLost);
    client.off('end', markLost);
    client.release(lost ? new Error('connection lost') : undefined);
  }
}

// The pool's query_timeout (TIMEOUTS.databaseQueryMs, src/db/neon-client.ts) gives up on a statement
// that is still running: the connection is busy with it, so a rollback would wait behind it. Treated
// as lost: the connection is destroyed, Postgres rolls the transaction back, the caller gets a 503.
function statementTimedOut(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof Error && cause.message === 'Query read timeout') return true;
  }
  return false;
}
