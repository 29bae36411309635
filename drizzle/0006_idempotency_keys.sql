CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"principal" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("tenant_id","principal","key"),
	CONSTRAINT "idempotency_keys_status_check" CHECK ("idempotency_keys"."status" in ('in_progress', 'completed')),
	CONSTRAINT "idempotency_keys_response_check" CHECK (("idempotency_keys"."status" = 'completed') = ("idempotency_keys"."response" is not null))
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "idempotency_keys_tenant_select" ON "idempotency_keys" AS PERMISSIVE FOR SELECT TO public USING ("idempotency_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "idempotency_keys_tenant_insert" ON "idempotency_keys" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("idempotency_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "idempotency_keys_tenant_update" ON "idempotency_keys" AS PERMISSIVE FOR UPDATE TO public USING ("idempotency_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK ("idempotency_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "idempotency_keys_tenant_delete" ON "idempotency_keys" AS PERMISSIVE FOR DELETE TO public USING ("idempotency_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
-- Hand-written from here (drizzle has no builder for FORCE or grants); the statements above are
-- drizzle-kit's, from src/db/schema/idempotency-keys.ts. Runs as bulkhead_owner, like every
-- migration after 0000. A new, empty table: nothing to backfill.
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- What src/db/repositories/idempotency-keys.ts does in the runtime role's name, under its tenant's
-- policies: claim (INSERT … ON CONFLICT DO NOTHING), read the existing claim, store the response
-- (UPDATE), release a failed claim and drop expired ones (DELETE).
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO bulkhead_app;
