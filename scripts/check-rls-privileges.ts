// Rules about what the runtime role can do beyond reading and writing rows under RLS, and about
// the objects that would run queries with someone else's rights: views and SECURITY DEFINER
// functions.
import { type CatalogueRule, USER_SCHEMA } from './check-rls-rules.ts';

export const privilegeRules: CatalogueRule[] = [
  {
    // Superusers and BYPASSRLS roles ignore RLS even when it is forced; CREATEROLE can grant both.
    rule: 'runtime-role',
    sql: `select r.rolname::text as object, concat_ws(', ',
              case when r.rolsuper then 'is SUPERUSER' end,
              case when r.rolbypassrls then 'has BYPASSRLS' end,
              case when r.rolcreaterole then 'has CREATEROLE' end) as detail
          from pg_roles r join args on r.rolname = args.runtime_role
          where r.rolsuper or r.rolbypassrls or r.rolcreaterole`,
  },
  {
    // An owner is exempt from its tables' policies unless FORCE is on, and can turn FORCE off.
    // pg_shdepend records ownership of objects in every database of the cluster.
    rule: 'runtime-role-owns',
    sql: `select case when d.dbid in (0, db.oid) then pg_describe_object(d.classid, d.objid, d.objsubid)
                  else format('an object in database %s', (select datname from pg_database where oid = d.dbid)) end
              as object,
            'is owned by the runtime role' as detail
          from pg_shdepend d
          cross join (select oid from pg_database where datname = current_database()) as db
          join pg_roles r on r.oid = d.refobjid
          join args on r.rolname = args.runtime_role
          where d.deptype = 'o'`,
  },
  {
    // TRUNCATE skips row-level security: it would empty every tenant's rows at once.
    rule: 'runtime-role-truncate',
    sql: `select c.oid::regclass::text as object, 'the runtime role can TRUNCATE it' as detail
          from pg_class c join pg_namespace n on n.oid = c.relnamespace, args
          where c.relkind in ('r', 'p') and ${USER_SCHEMA} and has_table_privilege(args.runtime_role, c.oid, 'TRUNCATE')`,
  },
  {
    // Objects it could create would be its own, exempt from policies.
    rule: 'runtime-role-create',
    sql: `select n.nspname::text as object, 'the runtime role can create objects in this schema' as detail
          from pg_namespace n, args
          where ${USER_SCHEMA} and has_schema_privilege(args.runtime_role, n.oid, 'CREATE')`,
  },
  {
    // SET ROLE to (or inheriting from) an owner, a superuser or a BYPASSRLS role escapes RLS.
    rule: 'runtime-role-membership',
    sql: `select r.rolname::text as object, 'the runtime role is a member of this privileged role' as detail
          from pg_roles r, args
          where r.rolname <> args.runtime_role and pg_has_role(args.runtime_role, r.oid, 'MEMBER')
            and (r.rolsuper or r.rolbypassrls or exists (
              select from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where c.relowner = r.oid and ${USER_SCHEMA}))`,
  },
  {
    // A view runs with its owner's rights unless security_invoker is set: for a superuser-owned
    // view that means no RLS at all. Materialized views cannot be security_invoker.
    rule: 'view-security-invoker',
    sql: `select c.oid::regclass::text as object,
            'is granted to the runtime role without security_invoker = true' as detail
          from pg_class c join pg_namespace n on n.oid = c.relnamespace, args
          where c.relkind in ('v', 'm') and ${USER_SCHEMA}
            and has_any_column_privilege(args.runtime_role, c.oid, 'SELECT, INSERT, UPDATE')
            and not coalesce((
              select lower(o.option_value) in ('true', 'on', '1', 'yes')
              from pg_options_to_table(c.reloptions) o where o.option_name = 'security_invoker'), false)`,
  },
  {
    // Without a pinned search_path a caller can put its own objects in front of the function's.
    rule: 'definer-search-path',
    sql: `select p.oid::regprocedure::text as object, 'SECURITY DEFINER without a pinned search_path' as detail
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where p.prosecdef and ${USER_SCHEMA}
            and not exists (select from unnest(p.proconfig) as cfg where cfg like 'search\\_path=%')`,
  },
  {
    // Every SECURITY DEFINER function is a hole in RLS by design: each one is inventoried.
    rule: 'definer-allow-list',
    sql: `select p.oid::regprocedure::text as object, 'SECURITY DEFINER function not on the allow-list' as detail
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace, args
          where p.prosecdef and ${USER_SCHEMA} and p.oid::regprocedure::text <> all (args.allowed_functions)`,
  },
];
