-- Erasure, export and retention (issue 14). Hand-written; runs as bulkhead_owner.
--
-- A tenant ends as `erased`: its row stays (no data, no keys) so its id and slug are never reused.
-- Postgres lets ADD VALUE run inside the migration transaction; nothing below uses the new value.
ALTER TYPE tenant_status ADD VALUE IF NOT EXISTS 'erased';
--> statement-breakpoint
-- Durable jobs (tenant erasure, end-user erasure, export): the status a caller reads while the
-- Workflow runs. A job row survives its tenant's erasure by design, like audit_events: it holds
-- counts, times and ids, never content (an end user is recorded by a hash of their id).
CREATE TABLE jobs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  state text NOT NULL DEFAULT 'queued',
  step text,
  -- { postgres: { done, total }, vectors: {…}, objects: {…}, cache: {…} }
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- What the job is about: { endUserHash } / { projectId } / {}; never a raw end-user id.
  subject jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Verification counts, the export's bundle key and sizes.
  result jsonb,
  requested_by_kind text NOT NULL,
  requested_by_id text NOT NULL,
  attempt integer NOT NULL DEFAULT 1,
  last_error text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  started_at timestamp with time zone,
  finished_at timestamp with time zone,
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT jobs_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT jobs_kind_check CHECK (kind IN ('tenant_erasure', 'end_user_erasure', 'export')),
  CONSTRAINT jobs_state_check CHECK (state IN ('queued', 'running', 'verifying', 'done', 'failed')),
  CONSTRAINT jobs_progress_object CHECK (jsonb_typeof(progress) = 'object'),
  CONSTRAINT jobs_subject_object CHECK (jsonb_typeof(subject) = 'object'),
  CONSTRAINT jobs_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
--> statement-breakpoint
-- One tenant erasure per tenant, ever: a second request answers the first job (and resumes it if
-- it failed), so two Workflows never sweep the same tenant.
CREATE UNIQUE INDEX jobs_one_tenant_erasure ON jobs (tenant_id) WHERE kind = 'tenant_erasure';
--> statement-breakpoint
CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at);
--> statement-breakpoint
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY jobs_tenant_select ON jobs AS PERMISSIVE FOR SELECT TO public USING (jobs.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY jobs_tenant_insert ON jobs AS PERMISSIVE FOR INSERT TO public WITH CHECK (jobs.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY jobs_tenant_update ON jobs AS PERMISSIVE FOR UPDATE TO public USING (jobs.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK (jobs.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY jobs_tenant_delete ON jobs AS PERMISSIVE FOR DELETE TO public USING (jobs.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
-- No DELETE: a job's record outlives the data it removed.
GRANT SELECT, INSERT, UPDATE ON jobs TO bulkhead_app;
--> statement-breakpoint
-- Retention (issue 14): per tenant, how many days messages and retrieval log rows are kept
-- (NULL: forever). The scheduled handler purges older rows tenant by tenant under each context.
CREATE TABLE retention_settings (
  tenant_id uuid NOT NULL,
  messages_days integer,
  retrievals_days integer,
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT retention_settings_pkey PRIMARY KEY (tenant_id),
  CONSTRAINT retention_settings_messages_days_check CHECK (messages_days IS NULL OR messages_days BETWEEN 1 AND 3650),
  CONSTRAINT retention_settings_retrievals_days_check CHECK (retrievals_days IS NULL OR retrievals_days BETWEEN 1 AND 3650),
  CONSTRAINT retention_settings_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
--> statement-breakpoint
ALTER TABLE retention_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE retention_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY retention_settings_tenant_select ON retention_settings AS PERMISSIVE FOR SELECT TO public USING (retention_settings.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY retention_settings_tenant_insert ON retention_settings AS PERMISSIVE FOR INSERT TO public WITH CHECK (retention_settings.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY retention_settings_tenant_update ON retention_settings AS PERMISSIVE FOR UPDATE TO public USING (retention_settings.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) WITH CHECK (retention_settings.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY retention_settings_tenant_delete ON retention_settings AS PERMISSIVE FOR DELETE TO public USING (retention_settings.tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON retention_settings TO bulkhead_app;
--> statement-breakpoint
-- Erasure must leave 0 rows in every tenant table, and the document counter is one. The runtime
-- role may delete its counter only once it reads 0: a counter deleted at 0 comes back at 0 with
-- the next insert, so the grant cannot loosen maxDocuments (docs/threat-model.md T75).
CREATE POLICY tenant_document_counts_delete_only_zero ON tenant_document_counts AS RESTRICTIVE FOR DELETE TO public USING (tenant_document_counts.documents = 0);
--> statement-breakpoint
GRANT DELETE ON tenant_document_counts TO bulkhead_app;
