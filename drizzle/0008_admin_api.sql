-- The tenant admin API (issue 13 §3, §5). Hand-written; runs as bulkhead_owner like every migration
-- after 0000.
--
-- api_keys.last_used_at: when the key last authenticated a request, written under the key's own
-- tenant context by src/services/api-keys/record-key-use.ts (at most once a minute per key and
-- isolate). Nullable: never used, or used before this column existed. The runtime role already has
-- UPDATE on api_keys; the resolver is not granted the column (resolution does not need it).
ALTER TABLE "api_keys" ADD COLUMN "last_used_at" timestamp with time zone;
--> statement-breakpoint
-- Usage across tenants for the operator (GET /operator/v1/usage): counts only, never a row, a name
-- or an id of anything inside a tenant. SECURITY DEFINER, owned by bulkhead_key_resolver, which may
-- list tenants (its own policy on tenants) but holds no policy on any other table: it counts each
-- tenant's rows under that tenant's own context, set transaction-locally for one tenant at a time,
-- so the tenant policies every runtime query obeys decide what is counted, and the caller's context
-- is put back before the function returns. Its grants are column grants on tenant_id (and
-- documents.size_bytes for stored bytes): the columns the counts read, no content.
GRANT SELECT (tenant_id, size_bytes) ON documents TO bulkhead_key_resolver;
--> statement-breakpoint
GRANT SELECT (tenant_id) ON chunks, conversations, messages TO bulkhead_key_resolver;
--> statement-breakpoint
CREATE FUNCTION bulkhead_auth.tenant_usage_counts(p_after uuid, p_limit integer)
RETURNS TABLE (
  tenant_id uuid,
  documents bigint,
  chunks bigint,
  conversations bigint,
  messages bigint,
  stored_bytes bigint,
  live_api_keys bigint
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_tenant_setting text := current_setting('app.current_tenant', true);
  v_projects_setting text := current_setting('app.allowed_projects', true);
  v_id uuid;
BEGIN
  FOR v_id IN
    SELECT t.id FROM public.tenants AS t
    WHERE p_after IS NULL OR t.id > p_after
    ORDER BY t.id
    LIMIT least(greatest(p_limit, 1), 1000)
  LOOP
    PERFORM set_config('app.current_tenant', v_id::text, true), set_config('app.allowed_projects', '*', true);
    tenant_id := v_id;
    SELECT count(*), coalesce(sum(d.size_bytes), 0)::bigint INTO documents, stored_bytes
      FROM public.documents AS d WHERE d.tenant_id = v_id;
    SELECT count(*) INTO chunks FROM public.chunks AS c WHERE c.tenant_id = v_id;
    SELECT count(*) INTO conversations FROM public.conversations AS c WHERE c.tenant_id = v_id;
    SELECT count(*) INTO messages FROM public.messages AS m WHERE m.tenant_id = v_id;
    SELECT count(*) INTO live_api_keys FROM public.api_keys AS k
      WHERE k.tenant_id = v_id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now());
    RETURN NEXT;
  END LOOP;
  PERFORM set_config('app.current_tenant', coalesce(v_tenant_setting, ''), true),
    set_config('app.allowed_projects', coalesce(v_projects_setting, ''), true);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION bulkhead_auth.tenant_usage_counts(uuid, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION bulkhead_auth.tenant_usage_counts(uuid, integer) TO bulkhead_app;
--> statement-breakpoint
-- Last: grants made by the owner move with the function to its new owner.
ALTER FUNCTION bulkhead_auth.tenant_usage_counts(uuid, integer) OWNER TO bulkhead_key_resolver;
