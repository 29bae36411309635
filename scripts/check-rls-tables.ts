// Rules about tenant-scoped tables: RLS enabled and forced, a permissive policy per command that
// applies to the runtime role and reads the tenant setting, settings read in the InitPlan form,
// and keys that carry tenant_id.

import { settingsOutsideScalarSubquery } from './check-rls-policy-text.ts';
import type { CatalogueRule } from './check-rls-rules.ts';

/** Policies whose roles include PUBLIC or a role whose privileges the runtime role has. */
const APPLIES_TO_RUNTIME = `(0::oid = any (p.polroles) or exists (
  select from pg_roles r, args where r.oid = any (p.polroles) and pg_has_role(args.runtime_role, r.oid, 'USAGE')))`;

export const tableRules: CatalogueRule[] = [
  {
    rule: 'rls-enabled',
    sql: `select name as object, 'has tenant_id but row level security is not enabled' as detail
          from tenant_tables where not relrowsecurity`,
  },
  {
    rule: 'rls-forced',
    sql: `select name as object, 'has tenant_id but row level security is not forced (the owner bypasses it)' as detail
          from tenant_tables where not relforcerowsecurity`,
  },
  {
    rule: 'policy-per-command',
    sql: `select t.name as object, format('no permissive %s policy applies to the runtime role', c.command) as detail
          from tenant_tables t
          cross join (values ('r', 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'), ('d', 'DELETE')) as c(code, command)
          where not exists (
            select from pg_policy p
            where p.polrelid = t.oid and p.polpermissive and p.polcmd in (c.code, '*') and ${APPLIES_TO_RUNTIME})`,
  },
  {
    // A policy that lets the runtime role in without comparing to the tenant setting opens the table.
    rule: 'policy-tenant-predicate',
    sql: `select format('%s on %s', p.polname, t.name) as object,
            'a permissive policy for the runtime role does not read app.current_tenant' as detail
          from tenant_tables t join pg_policy p on p.polrelid = t.oid
          where p.polpermissive and ${APPLIES_TO_RUNTIME}
            and (coalesce(pg_get_expr(p.polqual, p.polrelid), '') not like '%app.current\\_tenant%'
                 and coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') not like '%app.current\\_tenant%')`,
  },
  {
    // Outside a scalar subquery current_setting() runs once per row instead of once per statement.
    rule: 'policy-initplan',
    sql: `select format('%s on %s', p.polname, p.polrelid::regclass) as object,
            'calls current_setting() outside a scalar subquery (select …)' as detail,
            pg_get_expr(p.polqual, p.polrelid) as using_expr, pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
          from pg_policy p`,
    keep: (row) => settingsOutsideScalarSubquery(row.using_expr) || settingsOutsideScalarSubquery(row.check_expr),
  },
  {
    // A plain foreign key lets one tenant probe whether another tenant's id exists.
    rule: 'foreign-key-tenant',
    sql: `select format('%s on %s', con.conname, src.name) as object,
            format('foreign key to %s does not match tenant_id to tenant_id', dst.name) as detail
          from pg_constraint con
          join tenant_tables src on src.oid = con.conrelid
          join tenant_tables dst on dst.oid = con.confrelid
          where con.contype = 'f' and not exists (
            select from unnest(con.conkey, con.confkey) as k(src_att, dst_att)
            where k.src_att = src.tenant_att and k.dst_att = dst.tenant_att)`,
  },
  {
    // A global UNIQUE tells one tenant that a value exists in another.
    rule: 'unique-tenant',
    sql: `select i.indexrelid::regclass::text as object,
            format('unique index on %s does not include tenant_id', t.name) as detail
          from pg_index i join tenant_tables t on t.oid = i.indrelid
          where i.indisunique and not exists (
            select from unnest(i.indkey) with ordinality as k(attnum, position)
            where k.position <= i.indnkeyatts and k.attnum = t.tenant_att)`,
  },
];
