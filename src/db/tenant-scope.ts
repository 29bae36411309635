// What a repository receives: the request's TenantContext and a database handle that exists only
// inside withTenant / withTenantTransaction, where the context has already been set. Tenant ids in
// written rows come from `ctx`, never from input.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { TenantContext } from '../tenancy/context.ts';

/** What both drivers' raw results (`db.execute`) have in common: the rows. */
export interface RowsResult<Row> {
  rows: Row[];
}

export interface RowsResultHKT extends PgQueryResultHKT {
  type: RowsResult<this['row']>;
}

/** Either driver's drizzle database; query builders behave the same on both. No relational
 * schema: repositories use the query builders, and building that metadata per handle is costly. */
export type TenantDatabase = PgDatabase<RowsResultHKT>;

export interface TenantScope {
  readonly ctx: TenantContext;
  readonly db: TenantDatabase;
}
