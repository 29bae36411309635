// The two transaction-local settings the RLS policies read (src/db/schema/tenant-policies.ts),
// derived from a TenantContext and nothing else. This module and the statements in with-tenant*.ts
// are the only places the settings are written; both use set_config(…, true), which ends with the
// transaction, so a pooled connection never carries one request's tenant into the next.
import { UUID_PATTERN } from '../domain/uuid.ts';
import { type TenantContext, toTenantId } from '../tenancy/context.ts';
import { ALL_PROJECTS } from './schema/tenant-policies.ts';

export const SET_TENANT_CONTEXT_SQL =
  "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', $2, true)";

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
