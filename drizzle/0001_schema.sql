CREATE TYPE "public"."api_key_kind" AS ENUM('publishable', 'secret');--> statement-breakpoint
CREATE TYPE "public"."document_status" AS ENUM('pending', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "public"."message_role" AS ENUM('system', 'user', 'assistant');--> statement-breakpoint
CREATE TYPE "public"."project_role" AS ENUM('owner', 'admin', 'editor', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."tenant_status" AS ENUM('active', 'suspended', 'deleting');--> statement-breakpoint
CREATE TABLE "api_key_projects" (
	"tenant_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	CONSTRAINT "api_key_projects_pkey" PRIMARY KEY("tenant_id","api_key_id","project_id")
);
--> statement-breakpoint
ALTER TABLE "api_key_projects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "api_keys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"lookup_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"kind" "api_key_kind" NOT NULL,
	"scopes" text[] NOT NULL,
	"all_projects" boolean NOT NULL,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "api_keys_tenant_lookup_key" UNIQUE("tenant_id","lookup_id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_events_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversations" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"end_user_id" text,
	"title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "conversations_tenant_project_id_key" UNIQUE("tenant_id","project_id","id")
);
--> statement-breakpoint
ALTER TABLE "conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"role" "message_role" NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "retrievals" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid,
	"query" text NOT NULL,
	"top_k" integer NOT NULL,
	"results" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retrievals_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "retrievals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "chunks" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"chunk_index" integer NOT NULL,
	"content" text NOT NULL,
	"token_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chunks_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "chunks_tenant_project_document_index_key" UNIQUE("tenant_id","project_id","document_id","chunk_index")
);
--> statement-breakpoint
ALTER TABLE "chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "documents" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"title" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"object_key" text,
	"status" "document_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "documents_tenant_project_id_key" UNIQUE("tenant_id","project_id","id"),
	CONSTRAINT "documents_tenant_project_external_key" UNIQUE("tenant_id","project_id","external_id")
);
--> statement-breakpoint
ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "projects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "user_project_roles" (
	"tenant_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" "project_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_project_roles_pkey" PRIMARY KEY("tenant_id","project_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "user_project_roles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"status" "tenant_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_key" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_key_projects" ADD CONSTRAINT "api_key_projects_key_fkey" FOREIGN KEY ("tenant_id","api_key_id") REFERENCES "public"."api_keys"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_projects" ADD CONSTRAINT "api_key_projects_project_fkey" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_project_fkey" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_fkey" FOREIGN KEY ("tenant_id","project_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrievals" ADD CONSTRAINT "retrievals_conversation_fkey" FOREIGN KEY ("tenant_id","project_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_document_fkey" FOREIGN KEY ("tenant_id","project_id","document_id") REFERENCES "public"."documents"("tenant_id","project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_project_fkey" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_project_roles" ADD CONSTRAINT "user_project_roles_project_fkey" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_lookup_idx" ON "api_keys" USING btree ("lookup_id");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_created_idx" ON "audit_events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_tenant_project_updated_idx" ON "conversations" USING btree ("tenant_id","project_id","updated_at");--> statement-breakpoint
CREATE INDEX "messages_tenant_project_conversation_idx" ON "messages" USING btree ("tenant_id","project_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "retrievals_tenant_project_created_idx" ON "retrievals" USING btree ("tenant_id","project_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_tenant_project_created_idx" ON "documents" USING btree ("tenant_id","project_id","created_at");--> statement-breakpoint
CREATE POLICY "api_key_projects_tenant_select" ON "api_key_projects" AS PERMISSIVE FOR SELECT TO public USING ("api_key_projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "api_key_projects"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "api_key_projects_tenant_insert" ON "api_key_projects" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("api_key_projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "api_key_projects"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "api_key_projects_tenant_update" ON "api_key_projects" AS PERMISSIVE FOR UPDATE TO public USING ("api_key_projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "api_key_projects"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("api_key_projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "api_key_projects"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "api_key_projects_tenant_delete" ON "api_key_projects" AS PERMISSIVE FOR DELETE TO public USING ("api_key_projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "api_key_projects"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "api_key_projects_key_resolution" ON "api_key_projects" AS PERMISSIVE FOR SELECT TO "bulkhead_key_resolver" USING (true);--> statement-breakpoint
CREATE POLICY "api_keys_tenant_select" ON "api_keys" AS PERMISSIVE FOR SELECT TO public USING ("api_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_tenant_insert" ON "api_keys" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("api_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_tenant_update" ON "api_keys" AS PERMISSIVE FOR UPDATE TO public USING ("api_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK ("api_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_tenant_delete" ON "api_keys" AS PERMISSIVE FOR DELETE TO public USING ("api_keys"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_key_resolution" ON "api_keys" AS PERMISSIVE FOR SELECT TO "bulkhead_key_resolver" USING (true);--> statement-breakpoint
CREATE POLICY "audit_events_tenant_select" ON "audit_events" AS PERMISSIVE FOR SELECT TO public USING ("audit_events"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "audit_events"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "audit_events_tenant_insert" ON "audit_events" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("audit_events"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "audit_events"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "audit_events_tenant_update" ON "audit_events" AS PERMISSIVE FOR UPDATE TO public USING ("audit_events"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "audit_events"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("audit_events"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "audit_events"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "audit_events_tenant_delete" ON "audit_events" AS PERMISSIVE FOR DELETE TO public USING ("audit_events"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "audit_events"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "conversations_tenant_select" ON "conversations" AS PERMISSIVE FOR SELECT TO public USING ("conversations"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "conversations"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "conversations_tenant_insert" ON "conversations" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("conversations"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "conversations"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "conversations_tenant_update" ON "conversations" AS PERMISSIVE FOR UPDATE TO public USING ("conversations"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "conversations"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("conversations"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "conversations"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "conversations_tenant_delete" ON "conversations" AS PERMISSIVE FOR DELETE TO public USING ("conversations"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "conversations"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "messages_tenant_select" ON "messages" AS PERMISSIVE FOR SELECT TO public USING ("messages"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "messages"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "messages_tenant_insert" ON "messages" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("messages"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "messages"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "messages_tenant_update" ON "messages" AS PERMISSIVE FOR UPDATE TO public USING ("messages"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "messages"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("messages"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "messages"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "messages_tenant_delete" ON "messages" AS PERMISSIVE FOR DELETE TO public USING ("messages"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "messages"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "retrievals_tenant_select" ON "retrievals" AS PERMISSIVE FOR SELECT TO public USING ("retrievals"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "retrievals"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "retrievals_tenant_insert" ON "retrievals" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("retrievals"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "retrievals"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "retrievals_tenant_update" ON "retrievals" AS PERMISSIVE FOR UPDATE TO public USING ("retrievals"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "retrievals"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("retrievals"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "retrievals"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "retrievals_tenant_delete" ON "retrievals" AS PERMISSIVE FOR DELETE TO public USING ("retrievals"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "retrievals"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "chunks_tenant_select" ON "chunks" AS PERMISSIVE FOR SELECT TO public USING ("chunks"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "chunks"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "chunks_tenant_insert" ON "chunks" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("chunks"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "chunks"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "chunks_tenant_update" ON "chunks" AS PERMISSIVE FOR UPDATE TO public USING ("chunks"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "chunks"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("chunks"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "chunks"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "chunks_tenant_delete" ON "chunks" AS PERMISSIVE FOR DELETE TO public USING ("chunks"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "chunks"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "documents_tenant_select" ON "documents" AS PERMISSIVE FOR SELECT TO public USING ("documents"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "documents"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "documents_tenant_insert" ON "documents" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("documents"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "documents"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "documents_tenant_update" ON "documents" AS PERMISSIVE FOR UPDATE TO public USING ("documents"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "documents"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("documents"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "documents"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "documents_tenant_delete" ON "documents" AS PERMISSIVE FOR DELETE TO public USING ("documents"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "documents"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "projects_tenant_select" ON "projects" AS PERMISSIVE FOR SELECT TO public USING ("projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "projects"."id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "projects_tenant_insert" ON "projects" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "projects"."id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "projects_tenant_update" ON "projects" AS PERMISSIVE FOR UPDATE TO public USING ("projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "projects"."id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "projects"."id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "projects_tenant_delete" ON "projects" AS PERMISSIVE FOR DELETE TO public USING ("projects"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "projects"."id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "user_project_roles_tenant_select" ON "user_project_roles" AS PERMISSIVE FOR SELECT TO public USING ("user_project_roles"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "user_project_roles"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "user_project_roles_tenant_insert" ON "user_project_roles" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("user_project_roles"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "user_project_roles"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "user_project_roles_tenant_update" ON "user_project_roles" AS PERMISSIVE FOR UPDATE TO public USING ("user_project_roles"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "user_project_roles"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[]))) WITH CHECK ("user_project_roles"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "user_project_roles"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "user_project_roles_tenant_delete" ON "user_project_roles" AS PERMISSIVE FOR DELETE TO public USING ("user_project_roles"."tenant_id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid) and ((select current_setting('app.allowed_projects', true) = '*') or "user_project_roles"."project_id" = any ((select nullif(nullif(current_setting('app.allowed_projects', true), ''), '*')::uuid[])::uuid[])));--> statement-breakpoint
CREATE POLICY "tenants_tenant_select" ON "tenants" AS PERMISSIVE FOR SELECT TO public USING ("tenants"."id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenants_tenant_insert" ON "tenants" AS PERMISSIVE FOR INSERT TO public WITH CHECK ("tenants"."id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenants_tenant_update" ON "tenants" AS PERMISSIVE FOR UPDATE TO public USING ("tenants"."id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK ("tenants"."id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenants_tenant_delete" ON "tenants" AS PERMISSIVE FOR DELETE TO public USING ("tenants"."id" = (select nullif(current_setting('app.current_tenant', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenants_key_resolution" ON "tenants" AS PERMISSIVE FOR SELECT TO "bulkhead_key_resolver" USING (true);