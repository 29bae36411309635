// Row-level security predicates. Both settings are read inside a scalar subquery, so Postgres
// evaluates each once per statement (an InitPlan) instead of once per row, and `nullif(…, '')`
// turns the empty string a connection reports after any earlier SET LOCAL into NULL, which
// matches nothing instead of failing the uuid cast. The settings are transaction-local and set
// only by withTenant (src/db/with-tenant.ts).
import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, pgPolicy } from 'drizzle-orm/pg-core';

export const TENANT_SETTING = 'app.current_tenant';
/** `*` for tenant-wide principals, else a uuid[] literal of the projects the principal may touch. */
export const PROJECTS_SETTING = 'app.allowed_projects';
export const ALL_PROJECTS = '*';

export function belongsToCurrentTenant(tenantColumn: AnyPgColumn): SQL {
  return sql`${tenantColumn} = (select nullif(current_setting('app.current_tenant', true), '')::uuid)`;
}

/**
 * `*` short-circuits; a list is cast only when it is not `*`, so the cast can never see `*`.
 * The outer `::uuid[]` is the dummy coercion Postgres itself prints (and strips): without it
 * `any ((select …))` parses as ANY over a subquery's rows instead of over the array it returns.
 */
export function inAllowedProjects(projectColumn: AnyPgColumn): SQL {
  return sql`((select current_setting('app.allowed_projects', true) = '*') or ${projectColumn} = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))`;
}

/**
 * One policy per command, each with the same predicate: USING for the rows a statement may see
 * (SELECT, UPDATE, DELETE), WITH CHECK for the rows it may write (INSERT, UPDATE). Postgres
 * refuses WITH CHECK on SELECT and DELETE, which write nothing.
 */
export function tenantIsolationPolicies(table: string, predicate: SQL) {
  return [
    pgPolicy(`${table}_tenant_select`, { for: 'select', to: 'public', using: predicate }),
    pgPolicy(`${table}_tenant_insert`, { for: 'insert', to: 'public', withCheck: predicate }),
    pgPolicy(`${table}_tenant_update`, { for: 'update', to: 'public', using: predicate, withCheck: predicate }),
    pgPolicy(`${table}_tenant_delete`, { for: 'delete', to: 'public', using: predicate }),
  ];
}

export function tenantScoped(table: string, tenantColumn: AnyPgColumn) {
  return tenantIsolationPolicies(table, belongsToCurrentTenant(tenantColumn));
}

/** Tenant and project: a project-limited principal sees only its projects' rows. */
export function projectScoped(table: string, tenantColumn: AnyPgColumn, projectColumn: AnyPgColumn) {
  return tenantIsolationPolicies(
    table,
    sql`${belongsToCurrentTenant(tenantColumn)} and ${inAllowedProjects(projectColumn)}`,
  );
}
