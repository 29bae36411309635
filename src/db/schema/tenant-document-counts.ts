// How many documents each tenant has: the counter `limits.maxDocuments` is enforced against. One
// row per tenant, kept by statement triggers on documents (drizzle/0005_tenant_document_counts.sql:
// +n after an insert, -n after a delete, whoever deletes, cascades included), so it counts the whole
// tenant even for a project-limited principal, which sees only its projects' documents. The insert
// trigger takes this row's lock, so concurrent inserts of one tenant count one after the other, and
// refuses an insert that would take the count past the batch's `app.max_documents` setting
// (src/db/repositories/document-counts.ts). Tenant-only policies: the row belongs to no project.
// The runtime role may SELECT, INSERT and UPDATE it (what the triggers do in its name), not DELETE.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable } from 'drizzle-orm/pg-core';
import { tenantForeignKey, tenantIdColumn } from './tenant-columns.ts';
import { tenantScoped } from './tenant-policies.ts';
import { tenants } from './tenants.ts';

export const tenantDocumentCounts = pgTable(
  'tenant_document_counts',
  {
    tenantId: tenantIdColumn().primaryKey(),
    documents: integer('documents').notNull().default(0),
  },
  (t) => [
    tenantForeignKey('tenant_document_counts_tenant_fkey', [t.tenantId], [tenants.id]),
    check('tenant_document_counts_documents_check', sql`${t.documents} >= 0`),
    ...tenantScoped('tenant_document_counts', t.tenantId),
  ],
);
