// The two transaction-local settings the RLS policies read (src/db/schema/tenant-policies.ts),
// derived from a TenantContext and nothing else. This module and the statements in with-tenant*.ts
// are the only places the settings are written; both use set_config(…, true), which ends with the
// transaction, so a pooled connection never carries one request's tenant into the next.
import { UUID_PATTERN } from '../domain/uuid.ts';
import { actsOnAnyStatus, type TenantContext, toTenantId } from '../tenancy/context.ts';
import { ALL_PROJECTS } from './schema/tenant-policies.ts';

export const SET_TENANT_CONTEXT_SQL =
  "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', $2, true)";

/**
 * The same, refused by the database itself unless the tenant is active and not locked
 * (bulkhead_auth.assert_tenant_serving raises BH403 / BH503, src/db/postgres-errors.ts
 * tenantRefusal): a suspended, deleting or locked tenant's credentials stop at once on the database
 * path, whatever the edge's caches still hold. An exception anywhere in the statement aborts the
 * whole transaction, so nothing after it runs. Operator and system contexts use the plain form.
 */
export const SET_SERVING_TENANT_CONTEXT_SQL =
  "select bulkhead_auth.assert_tenant_serving($1::text::uuid), set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', $2, true)";

export function contextStatementFor(ctx: TenantContext): string {
  return actsOnAnyStatus(ctx) ? SET_TENANT_CONTEXT_SQL : SET_SERVING_TENANT_CONTEXT_SQL;
}

/** [tenant, projects]: parameters of SET_TENANT_CONTEXT_SQL. Throws on anything but uuids. */
export function tenantContextParams(ctx: TenantContext): [string, string] {
  // The id is branded already; checking again costs nothing and keeps a cast elsewhere harmless.
  const tenant = toTenantId(ctx.tenantId);
  if (ctx.projectIds === 'all') return [tenant, ALL_PROJECTS];
  for (const id of ctx.projectIds) {
    if (!UUID_PATTERN.test(id)) throw new Error('project ids in a tenant context must be lower-case uuids');
  }
  // A Postgres array literal; uuids need no quoting. `{}` (no projects) matches no project row.
  return [tenant, `{${ctx.projectIds.join(',')}}`];
}
