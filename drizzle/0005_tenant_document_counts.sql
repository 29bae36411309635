CREATE TABLE "tenant_document_counts" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"documents" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "tenant_document_counts_documents_check" CHECK ("tenant_document_counts"."documents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "tenant_document_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_document_counts" ADD CONSTRAINT "tenant_document_counts_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_document_counts_tenant_select" ON "tenant_document_counts" AS PERMISSIVE FOR SELECT TO public USING ("tenant_document_counts"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_document_counts_tenant_insert" ON "tenant_document_counts" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("tenant_document_counts"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_document_counts_tenant_update" ON "tenant_document_counts" AS PERMISSIVE FOR UPDATE TO public USING ("tenant_document_counts"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK ("tenant_document_counts"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_document_counts_tenant_delete" ON "tenant_document_counts" AS PERMISSIVE FOR DELETE TO public USING ("tenant_document_counts"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
-- Hand-written from here (drizzle has no builder for FORCE, grants, functions or triggers); the
-- statements above are drizzle-kit's, from src/db/schema/tenant-document-counts.ts. Runs as
-- bulkhead_owner, like every migration after 0000.
--
-- The counter is kept by statement triggers on documents that read the statement's transition
-- table: one write per statement and tenant, however many rows it (or a cascade from projects or
-- tenants) inserted or deleted. Plain invoker-rights functions, no SECURITY DEFINER: they write the
-- counter as whoever wrote the documents, under that caller's RLS, and every document row the
-- runtime role can insert or delete is its own tenant's (WITH CHECK and USING on documents), so it
-- only ever counts in its own tenant's row. Pinned search_path, qualified names. Trigger functions
-- are not called by name, so nobody needs EXECUTE on them (PUBLIC has none: 0000's default
-- privileges).
--
-- The insert trigger is also where maxDocuments is enforced, so it holds on every path that creates
-- a document row and only when a row is actually inserted (an insert that fails on a unique key,
-- e.g. a re-sent externalId, never reaches it). The batch sets the tenant's limit with
-- set_config('app.max_documents', …, true) (src/db/repositories/document-counts.ts); the upsert takes
-- the counter row's lock until the batch commits, so concurrent inserts of one tenant count one after
-- the other and see each other's rows, and a count past the limit raises check_violation with the
-- constraint name tenant_document_counts_max_documents: the whole batch rolls back, its audit rows
-- with it. Without the setting (the owner provisioning, test fixtures as the admin) there is no limit.
-- TRUNCATE skips row triggers; no role that writes through RLS may TRUNCATE (npm run check:rls).
CREATE FUNCTION public.count_inserted_documents() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  max_documents integer := nullif(current_setting('app.max_documents', true), '')::integer;
  counted record;
BEGIN
  FOR counted IN
    INSERT INTO public.tenant_document_counts AS c (tenant_id, documents)
    SELECT inserted.tenant_id, count(*)::integer FROM inserted GROUP BY inserted.tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET documents = c.documents + excluded.documents
    RETURNING c.tenant_id, c.documents
  LOOP
    IF counted.documents > max_documents THEN
      RAISE EXCEPTION USING
        ERRCODE = 'check_violation',
        CONSTRAINT = 'tenant_document_counts_max_documents',
        TABLE = 'tenant_document_counts',
        MESSAGE = format('tenant %s would have %s documents, over its maxDocuments limit of %s',
                         counted.tenant_id, counted.documents, max_documents);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION public.count_deleted_documents() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE public.tenant_document_counts AS c SET documents = c.documents - d.removed
  FROM (SELECT deleted.tenant_id, count(*)::integer AS removed FROM deleted GROUP BY deleted.tenant_id) AS d
  WHERE c.tenant_id = d.tenant_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER documents_count_inserted AFTER INSERT ON public.documents
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION public.count_inserted_documents();
--> statement-breakpoint
CREATE TRIGGER documents_count_deleted AFTER DELETE ON public.documents
  REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION public.count_deleted_documents();
--> statement-breakpoint
-- Backfill. The owner counts every tenant's documents with FORCE off for the length of this
-- transaction (all pending migrations run as one, scripts/db/migrations.ts); ALTER TABLE holds
-- documents' ACCESS EXCLUSIVE lock until it commits, and the triggers already exist, so no insert or
-- delete falls between the count and the triggers. The counter table is not forced yet either.
ALTER TABLE documents NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO tenant_document_counts (tenant_id, documents)
  SELECT tenant_id, count(*)::integer FROM documents GROUP BY tenant_id;
--> statement-breakpoint
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_document_counts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- What the triggers do in the runtime role's name: read, create and change its tenant's row. No
-- DELETE: a counter row goes only with its tenant (ON DELETE CASCADE from tenants).
GRANT SELECT, INSERT, UPDATE ON tenant_document_counts TO bulkhead_app;
