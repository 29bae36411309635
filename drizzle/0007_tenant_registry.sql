-- The tenant registry moves into Postgres (issue 13): everything resolution needs about a tenant
-- is a column of its row, read before the tenant is known only through the SECURITY DEFINER
-- functions below, and written by operator actions under that tenant's own context.
-- Runs as bulkhead_owner. Existing rows get conservative defaults; `npm run tenants:apply`
-- (or the operator API) sets the real values.
ALTER TABLE tenants
  ADD COLUMN allowed_origins text[] NOT NULL DEFAULT '{}',
  ADD COLUMN features jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN limits jsonb NOT NULL DEFAULT '{"requestsPerMinute": 60, "burst": 20, "maxDocuments": 100, "maxUploadBytes": 10485760, "maxTopK": 10, "minRetrievalScore": 0.1}'::jsonb,
  ADD COLUMN jwt jsonb,
  ADD COLUMN locked boolean NOT NULL DEFAULT false,
  ADD COLUMN updated_at timestamp with time zone NOT NULL DEFAULT now();
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_features_object CHECK (jsonb_typeof(features) = 'object');
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_limits_object CHECK (jsonb_typeof(limits) = 'object');
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_jwt_object CHECK (jwt IS NULL OR jsonb_typeof(jwt) = 'object');
--> statement-breakpoint
-- A slug is one DNS label; the application checks the full rule (no xn--) before writing.
ALTER TABLE tenants ADD CONSTRAINT tenants_slug_label CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
--> statement-breakpoint
-- Operator actions (create, settings, status, lock) run as the runtime role under the tenant's
-- own context: the existing tenants_tenant_* policies limit them to that one row. No DELETE: a
-- tenant ends as a status, so its id and slug are never reused.
GRANT INSERT (id, slug, name, status, allowed_origins, features, limits, jwt, locked, created_at, updated_at),
  UPDATE (name, status, allowed_origins, features, limits, jwt, locked, updated_at)
  ON tenants TO bulkhead_app;
--> statement-breakpoint
-- Platform-wide switches that are not any tenant's: one row. The maintenance switch set through
-- the operator API lives here (the deploy-time one is the MAINTENANCE wrangler var).
CREATE TABLE platform_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  maintenance boolean NOT NULL DEFAULT false,
  maintenance_message text,
  updated_at timestamp with time zone NOT NULL DEFAULT now()
);
--> statement-breakpoint
INSERT INTO platform_settings (id) VALUES (true);
--> statement-breakpoint
ALTER TABLE platform_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE platform_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY platform_settings_read ON platform_settings FOR SELECT TO bulkhead_app, bulkhead_key_resolver USING (true);
--> statement-breakpoint
CREATE POLICY platform_settings_write ON platform_settings FOR UPDATE TO bulkhead_app USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON platform_settings TO bulkhead_app, bulkhead_key_resolver;
--> statement-breakpoint
GRANT UPDATE (maintenance, maintenance_message, updated_at) ON platform_settings TO bulkhead_app;
--> statement-breakpoint
-- Resolution reads the settings columns (never created_at or anything else).
GRANT SELECT (id, slug, name, status, allowed_origins, features, limits, jwt, locked) ON tenants TO bulkhead_key_resolver;
--> statement-breakpoint
-- One tenant's settings as resolution needs them, plus the platform switch, as one JSON document.
-- Internal: not executable by the runtime role, only by the resolver functions below.
CREATE FUNCTION bulkhead_auth.tenant_document(p_id uuid)
RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.jsonb_build_object(
    'id', t.id, 'slug', t.slug, 'name', t.name, 'status', t.status,
    'allowedOrigins', pg_catalog.to_jsonb(t.allowed_origins), 'features', t.features, 'limits', t.limits,
    'jwt', t.jwt, 'locked', t.locked)
  FROM public.tenants AS t WHERE t.id = p_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.tenant_document(uuid) FROM PUBLIC;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.tenant_document(uuid) OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
CREATE FUNCTION bulkhead_auth.platform_maintenance()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce((SELECT s.maintenance FROM public.platform_settings AS s WHERE s.id), false)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.platform_maintenance() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.platform_maintenance() TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.platform_maintenance() OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
-- Key resolution now also returns its tenant's settings, so a cold key costs one lookup, not two.
-- Only its owner may drop it; the migration role may become that role (0000_roles.sql).
SET LOCAL ROLE bulkhead_key_resolver;
--> statement-breakpoint
DROP FUNCTION bulkhead_auth.resolve_api_key(text);
--> statement-breakpoint
SET LOCAL ROLE bulkhead_owner;
--> statement-breakpoint
CREATE FUNCTION bulkhead_auth.resolve_api_key(p_lookup_id text)
RETURNS TABLE (
  key_id uuid,
  tenant_id uuid,
  kind public.api_key_kind,
  scopes text[],
  all_projects boolean,
  project_ids uuid[],
  secret_hash text,
  tenant_status public.tenant_status,
  tenant jsonb,
  platform_maintenance boolean
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT k.id, k.tenant_id, k.kind, k.scopes, k.all_projects,
    ARRAY(
      SELECT p.project_id FROM public.api_key_projects AS p
      WHERE p.tenant_id = k.tenant_id AND p.api_key_id = k.id
      ORDER BY p.project_id
    ),
    k.secret_hash, t.status, bulkhead_auth.tenant_document(t.id), bulkhead_auth.platform_maintenance()
  FROM public.api_keys AS k
  JOIN public.tenants AS t ON t.id = k.tenant_id
  WHERE k.lookup_id = p_lookup_id
    AND k.revoked_at IS NULL
    AND (k.expires_at IS NULL OR k.expires_at > pg_catalog.now())
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.resolve_api_key(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.resolve_api_key(text) TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.resolve_api_key(text) OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
-- A tenant by id (a cached key, the development header) or by slug (subdomains, CORS preflights).
-- Zero rows for an unknown one; exactly one argument is expected to be set.
CREATE FUNCTION bulkhead_auth.resolve_tenant(p_id uuid, p_slug text)
RETURNS TABLE (tenant jsonb, platform_maintenance boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT bulkhead_auth.tenant_document(t.id), bulkhead_auth.platform_maintenance()
  FROM public.tenants AS t
  WHERE (p_id IS NOT NULL AND t.id = p_id) OR (p_id IS NULL AND p_slug IS NOT NULL AND t.slug = p_slug)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.resolve_tenant(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.resolve_tenant(uuid, text) TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.resolve_tenant(uuid, text) OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
-- CORS preflights to the shared API host carry no credential: the only question they may ask is
-- "does any active tenant allow this origin?". The answer names no tenant.
CREATE FUNCTION bulkhead_auth.origin_is_allowed(p_origin text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.tenants AS t
    WHERE t.status = 'active' AND p_origin = ANY (t.allowed_origins)
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.origin_is_allowed(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.origin_is_allowed(text) TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.origin_is_allowed(text) OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
-- The operator's tenant list and scheduled work's tenant walk: control-plane columns only
-- (never a document, key or member), keyset-paginated by id.
CREATE FUNCTION bulkhead_auth.list_tenants(p_after uuid, p_limit integer)
RETURNS TABLE (id uuid, slug text, name text, status public.tenant_status, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.id, t.slug, t.name, t.status, t.locked FROM public.tenants AS t
  WHERE p_after IS NULL OR t.id > p_after
  ORDER BY t.id
  LIMIT least(greatest(p_limit, 1), 1000)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.list_tenants(uuid, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.list_tenants(uuid, integer) TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.list_tenants(uuid, integer) OWNER TO bulkhead_key_resolver;
--> statement-breakpoint
-- The database path refuses a tenant that is not serving, whatever the edge's caches still say:
-- the context statement of every tenant request calls this first (src/db/tenant-context-sql.ts).
-- BH403: not active (suspended, deleting, erased); BH503: locked for maintenance. An id with no row
-- passes: no tenant table but audit_events can hold a row for it (every other one references
-- tenants), the edge never builds a context for a tenant it did not find, and a tenant is never
-- deleted (it ends as `erased`), so only test fixtures take this branch.
CREATE FUNCTION bulkhead_auth.assert_tenant_serving(p_id uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_status public.tenant_status;
  v_locked boolean;
BEGIN
  SELECT t.status, t.locked INTO v_status, v_locked FROM public.tenants AS t WHERE t.id = p_id;
  IF NOT FOUND THEN
    RETURN true;
  END IF;
  IF v_status <> 'active' THEN
    RAISE EXCEPTION 'tenant is not available' USING ERRCODE = 'BH403';
  END IF;
  IF v_locked THEN
    RAISE EXCEPTION 'tenant is locked for maintenance' USING ERRCODE = 'BH503';
  END IF;
  RETURN true;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.assert_tenant_serving(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.assert_tenant_serving(uuid) TO bulkhead_app;
--> statement-breakpoint
ALTER FUNCTION bulkhead_auth.assert_tenant_serving(uuid) OWNER TO bulkhead_key_resolver;
