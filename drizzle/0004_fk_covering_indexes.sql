-- Indexes covering the two foreign keys that had none (npm run check:rls, rule foreign-key-index):
-- without them, deleting a project scans api_key_projects and every conversation delete scans
-- retrievals for the cascade. The retrievals index is partial: most rows (POST /v1/query) have no
-- conversation, and a row whose reference is NULL is never checked or cascaded to.
CREATE INDEX "api_key_projects_tenant_project_idx" ON "api_key_projects" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "retrievals_tenant_project_conversation_idx" ON "retrievals" USING btree ("tenant_id","project_id","conversation_id") WHERE "retrievals"."conversation_id" is not null;
