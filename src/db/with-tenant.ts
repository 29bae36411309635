// withTenant: the default way request code reaches Postgres. The context statement and the
// request's statements travel as one HTTP batch that Neon runs as one transaction: one
// edge→database round trip, context first, and all of it commits or none of it does.
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/neon-http';
import { sql } from 'drizzle-orm/sql';
import { oncePerSettings } from '../config/once-per-settings.ts';
import type { Settings } from '../config/settings.ts';
import { actsOnAnyStatus, type TenantContext } from '../tenancy/context.ts';
import { httpSql } from './neon-client.ts';
import { databaseUnavailable, isHttpDriverFailure, isTransientSqlState, tenantRefusal } from './postgres-errors.ts';
import { tenantContextParams } from './tenant-context-sql.ts';
import type { TenantDatabase, TenantScope } from './tenant-scope.ts';

type Statements = readonly [BatchItem<'pg'>, ...BatchItem<'pg'>[]];

// The HTTP client holds configuration only (each batch is its own fetch), so one drizzle handle per
// isolate serves every request. Made per request it cost ~0.3 ms in the api benchmark, most of it
// drizzle building relational metadata for a schema no query used.
const httpDatabase = oncePerSettings((settings) => drizzle({ client: httpSql(settings) }));

/**
 * Builds the request's statements from the scope and runs them in one batch after the context.
 * Statements cannot depend on each other's results in code; use withTenantTransaction for that.
 * Awaiting a statement directly instead of returning it runs it without context: it sees nothing.
 */
export async function withTenant<const T extends Statements>(
  ctx: TenantContext,
  settings: Settings,
  build: (scope: TenantScope) => T,
): Promise<BatchResponse<T>> {
  const [tenant, projects] = tenantContextParams(ctx); // throws before any I/O on a bad context
  const db = httpDatabase(settings);
  const statements = build({ ctx, db: db as unknown as TenantDatabase });
  // The serving check rides in the context statement (src/db/tenant-context-sql.ts): no round trip.
  const setContext = db.execute(
    actsOnAnyStatus(ctx)
      ? sql`select set_config('app.current_tenant', ${tenant}, true), set_config('app.allowed_projects', ${projects}, true)`
      : sql`select bulkhead_auth.assert_tenant_serving(${tenant}::text::uuid), set_config('app.current_tenant', ${tenant}, true), set_config('app.allowed_projects', ${projects}, true)`,
  );
  try {
    const [, ...results] = await db.batch([setContext, ...statements]);
    return results as BatchResponse<T>;
  } catch (error) {
    throw (
      tenantRefusal(error) ??
      (isHttpDriverFailure(error) || isTransientSqlState(error) ? databaseUnavailable(error) : error)
    );
  }
}
