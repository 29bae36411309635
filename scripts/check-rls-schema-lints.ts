// Schema lints of the RLS guard, after two of Supabase's splinter lints: what does not open a wall
// but makes RLS-scoped work slow. `npm run check:rls` runs them with the wall rules; checkCatalogue
// runs only the walls unless given these too.
//
// - foreign-key-index (splinter: unindexed_foreign_keys): every foreign key needs an index whose
//   leading columns are its columns, in any order. Without one, each delete or key change in the
//   referenced table (and each ON DELETE CASCADE) scans the referencing table.
// - permissive-policy-overlap (splinter: multiple_permissive_policies): for one role and command
//   on one table, Postgres evaluates every permissive policy that applies and ORs them, per row.
//   One policy per command per role keeps that to one predicate; the overlaps kept on purpose are
//   listed in ALLOWED_POLICY_OVERLAPS with the reason.
import { type CatalogueRule, USER_SCHEMA } from './check-rls-rules.ts';

export interface PolicyOverlap {
  table: string;
  role: string;
  command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  /** Exactly these policies, sorted: one more (or another) is reported. */
  policies: readonly string[];
}

/**
 * The key resolver (bulkhead_key_resolver, owner of the SECURITY DEFINER function
 * bulkhead_auth.resolve_api_key) reads tenants, api_keys and api_key_projects before any tenant is
 * known, through SELECT policies of its own (`using (true)`, drizzle/0001_schema.sql). The tenant
 * policies are `to public`, so they apply to the resolver too: two permissive SELECT policies.
 * Merging them is worse than the overlap. One merged policy would be a PUBLIC policy that says
 * "true for the resolver": an escape hatch inside the policy every runtime query uses, which
 * policy-tenant-predicate could no longer tell from a tenant predicate. Naming the runtime role
 * instead of PUBLIC on these three tables only would break "one PUBLIC policy per command" that
 * every other table keeps. The cost splinter warns about is one more predicate per row, for the
 * resolver only: there the tenant predicate is an InitPlan that is NULL (no tenant is set), so it
 * fails at once, and the function reads one key by its lookup-id index and one tenant by primary
 * key. The runtime role has one policy per command on each of these tables.
 */
export const ALLOWED_POLICY_OVERLAPS: readonly PolicyOverlap[] = [
  {
    table: 'tenants',
    role: 'bulkhead_key_resolver',
    command: 'SELECT',
    policies: ['tenants_key_resolution', 'tenants_tenant_select'],
  },
  {
    table: 'api_keys',
    role: 'bulkhead_key_resolver',
    command: 'SELECT',
    policies: ['api_keys_key_resolution', 'api_keys_tenant_select'],
  },
  {
    table: 'api_key_projects',
    role: 'bulkhead_key_resolver',
    command: 'SELECT',
    policies: ['api_key_projects_key_resolution', 'api_key_projects_tenant_select'],
  },
];

const isAllowedOverlap = (row: Record<string, unknown>) =>
  ALLOWED_POLICY_OVERLAPS.some(
    (allowed) =>
      allowed.table === row.table_name &&
      allowed.role === row.role_name &&
      allowed.command === row.command &&
      JSON.stringify([...allowed.policies].sort()) === JSON.stringify(row.policies),
  );

/** Policies that apply to role `r`: PUBLIC ones, and those naming `r` or a role `r` inherits. */
const APPLIES_TO_ROLE = `(0::oid = any (p.polroles) or exists (
  select from pg_roles pr where pr.oid = any (p.polroles) and pg_has_role(r.oid, pr.oid, 'USAGE')))`;

export const schemaLintRules: CatalogueRule[] = [
  {
    rule: 'foreign-key-index',
    // A partial index covers the key when its only condition is that a key column is not null:
    // a row with a NULL reference is never checked or cascaded to.
    sql: `select format('%s on %s', con.conname, con.conrelid::regclass) as object,
            format('no index leads with its columns (%s): each delete in %s scans %s',
                   fk.columns, con.confrelid::regclass, con.conrelid::regclass) as detail
          from pg_constraint con
          join pg_class c on c.oid = con.conrelid
          join pg_namespace n on n.oid = c.relnamespace
          cross join lateral (
            select string_agg(a.attname, ', ' order by k.position) as columns
            from unnest(con.conkey) with ordinality as k(attnum, position)
            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as fk
          where con.contype = 'f' and ${USER_SCHEMA}
            and not exists (
              select from pg_index i
              where i.indrelid = con.conrelid and i.indisvalid and i.indnkeyatts >= cardinality(con.conkey)
                and (select array_agg(k.attnum order by k.attnum)
                     from unnest(i.indkey) with ordinality as k(attnum, position)
                     where k.position <= cardinality(con.conkey))
                    = (select array_agg(attnum order by attnum) from unnest(con.conkey) as attnum)
                and (i.indpred is null or exists (
                  select from unnest(con.conkey) as key(attnum)
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = key.attnum
                  where pg_get_expr(i.indpred, i.indrelid) = format('(%I IS NOT NULL)', a.attname))))
          order by 1`,
  },
  {
    // The runtime role, and every role a policy on the table names (e.g. the key resolver).
    rule: 'permissive-policy-overlap',
    sql: `select format('%s for %s on %s', cmd.command, r.rolname, c.oid::regclass) as object,
            format('%s permissive policies apply (%s), each evaluated per row: merge them into one',
                   count(*), string_agg(p.polname, ', ' order by p.polname)) as detail,
            c.oid::regclass::text as table_name, r.rolname::text as role_name, cmd.command,
            array_agg(p.polname::text order by p.polname) as policies
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          join pg_policy p on p.polrelid = c.oid and p.polpermissive
          cross join (values ('r', 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'), ('d', 'DELETE')) as cmd(code, command)
          join pg_roles r on r.rolname = (select runtime_role from args)
            or r.oid in (select unnest(q.polroles) from pg_policy q where q.polrelid = c.oid)
          where c.relkind in ('r', 'p') and ${USER_SCHEMA} and p.polcmd in (cmd.code, '*') and ${APPLIES_TO_ROLE}
          group by c.oid, r.rolname, cmd.command
          having count(*) > 1
          order by 1`,
    keep: (row) => !isAllowedOverlap(row),
  },
];
