-- Isolation (hand-written: drizzle has no builder for FORCE, grants or SECURITY DEFINER functions).
-- Runs as bulkhead_owner, which owns every table below.
--
-- FORCE: without it the owner ignores its own tables' policies.
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE user_project_roles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_key_projects FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE chunks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE retrievals FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The runtime role: rows, never TRUNCATE, REFERENCES or TRIGGER. Tenants are provisioned by the
-- owner; the runtime role only reads its own tenant's row. Audit events are append-only.
GRANT SELECT ON tenants TO bulkhead_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE
  ON projects, user_project_roles, api_keys, api_key_projects, documents, chunks, conversations, messages, retrievals
  TO bulkhead_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO bulkhead_app;
--> statement-breakpoint
-- The resolver reads exactly the columns resolution needs.
GRANT SELECT (id, tenant_id, lookup_id, secret_hash, kind, scopes, all_projects, expires_at, revoked_at)
  ON api_keys TO bulkhead_key_resolver;
--> statement-breakpoint
GRANT SELECT ON api_key_projects TO bulkhead_key_resolver;
--> statement-breakpoint
GRANT SELECT (id, status) ON tenants TO bulkhead_key_resolver;
--> statement-breakpoint
-- API-key resolution before the tenant is known: the one SECURITY DEFINER function. It runs as
-- bulkhead_key_resolver, whose policies (api_keys_key_resolution, tenants_key_resolution) let it
-- see every key; a pinned search_path and qualified names keep callers from substituting objects.
-- It returns only live keys and only what resolution needs: never names, never other keys.
CREATE FUNCTION bulkhead_auth.resolve_api_key(p_lookup_id text)
RETURNS TABLE (
  key_id uuid,
  tenant_id uuid,
  kind public.api_key_kind,
  scopes text[],
  all_projects boolean,
  project_ids uuid[],
  secret_hash text,
  tenant_status public.tenant_status
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
    k.secret_hash, t.status
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
-- Last: grants made by the owner move with the function to its new owner.
ALTER FUNCTION bulkhead_auth.resolve_api_key(text) OWNER TO bulkhead_key_resolver;
