-- bulkhead: run as admin
-- Roles (hand-written: drizzle has no builder for them). Runs as the connecting admin; every later
-- migration runs as bulkhead_owner (scripts/db/migrations.ts), which therefore owns what they create.
--
--   bulkhead_owner         owns tables and types. NOLOGIN, NOBYPASSRLS: FORCE ROW LEVEL SECURITY
--                          applies to it too. NOINHERIT, so the roles it can become lend it nothing.
--   bulkhead_app           the runtime role the Worker logs in as (local/database.ts gives it its
--                          password). Rows under RLS only: no ownership, no TRUNCATE, no role changes.
--   bulkhead_key_resolver  owns bulkhead_auth.resolve_api_key, the one SECURITY DEFINER function,
--                          and may read api_keys and tenants through a policy of its own.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulkhead_owner') THEN
    CREATE ROLE bulkhead_owner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulkhead_key_resolver') THEN
    CREATE ROLE bulkhead_key_resolver NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- Normally created beforehand with a password; created here without LOGIN so a fresh database
  -- migrates anyway (an operator then sets LOGIN and a password).
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulkhead_app') THEN
    CREATE ROLE bulkhead_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- A runtime role created elsewhere with privileges it must not have is refused, not repaired
  -- silently: someone meant it, and npm run check:rls would flag it anyway.
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulkhead_app' AND (rolsuper OR rolbypassrls OR rolcreaterole)) THEN
    RAISE EXCEPTION 'role bulkhead_app must be NOSUPERUSER NOBYPASSRLS NOCREATEROLE';
  END IF;
END
$$;
--> statement-breakpoint
-- The admin must be able to act as the owner (Postgres 16+ does not grant that to a role's creator).
GRANT bulkhead_owner TO CURRENT_USER;
--> statement-breakpoint
-- The owner hands the key-lookup function to the resolver; NOINHERIT keeps the resolver's policy
-- from applying to the owner.
GRANT bulkhead_key_resolver TO bulkhead_owner;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA public TO bulkhead_owner;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bulkhead_app, bulkhead_key_resolver;
--> statement-breakpoint
-- A schema of its own for the key-lookup function, so the resolver can own that function without
-- being able to create anything next to the tables.
CREATE SCHEMA IF NOT EXISTS bulkhead_auth AUTHORIZATION bulkhead_key_resolver;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA bulkhead_auth TO bulkhead_owner;
--> statement-breakpoint
REVOKE ALL ON SCHEMA bulkhead_auth FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA bulkhead_auth TO bulkhead_app;
--> statement-breakpoint
-- Functions are executable by PUBLIC by default; the owner's and the resolver's are not.
ALTER DEFAULT PRIVILEGES FOR ROLE bulkhead_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE bulkhead_key_resolver REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
