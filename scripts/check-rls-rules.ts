// Shared shapes of the RLS guard (npm run check:rls): a violation names the rule and the object.

export interface Violation {
  rule: string;
  object: string;
  detail: string;
}

export type Query = (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * A rule's SQL is one SELECT of `object` and `detail`, run after RULE_PRELUDE, so it can use the CTEs
 * `args` (runtime_role, allowed_functions) and `tenant_tables` (oid, name, relrowsecurity,
 * relforcerowsecurity, tenant_att).
 */
export interface CatalogueRule {
  rule: string;
  sql: string;
  /** Optional post-filter for what SQL cannot say well (e.g. parsing a policy expression). */
  keep?: (row: Record<string, unknown>) => boolean;
}

export interface CatalogueOptions {
  runtimeRole: string;
  /** `schema.name(argtypes)` as regprocedure prints it. */
  allowedDefinerFunctions: readonly string[];
}

export const DEFAULT_OPTIONS: CatalogueOptions = {
  runtimeRole: 'bulkhead_app',
  allowedDefinerFunctions: [
    'bulkhead_auth.resolve_api_key(text)',
    'bulkhead_auth.resolve_tenant(uuid,text)',
    'bulkhead_auth.tenant_document(uuid)',
    'bulkhead_auth.platform_maintenance()',
    'bulkhead_auth.origin_is_allowed(text)',
    'bulkhead_auth.list_tenants(uuid,integer)',
    'bulkhead_auth.assert_tenant_serving(uuid)',
    'bulkhead_auth.tenant_usage_counts(uuid,integer)',
  ],
};

/** Schemas that hold application objects: everything but Postgres' own. */
export const USER_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

/** Tables (and partitioned tables) with a tenant_id column count as tenant-scoped. */
export const RULE_PRELUDE = `
with args as (select $1::text as runtime_role, $2::text[] as allowed_functions),
tenant_tables as (
  select c.oid, c.oid::regclass::text as name, c.relrowsecurity, c.relforcerowsecurity, a.attnum as tenant_att
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
  where c.relkind in ('r', 'p') and ${USER_SCHEMA}
)
`;

export function formatViolation(v: Violation): string {
  return `✗ ${v.rule}: ${v.object} — ${v.detail}`;
}
