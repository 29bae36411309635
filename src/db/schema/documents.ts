// Documents and their chunks: the hot read path of retrieval. Chunk text lives only here, under
// RLS; the vector store returns ids that are looked up in this table.
import {
  bigint,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { documentStatus } from './enums.ts';
import { projects } from './projects.ts';
import { projectScoped } from './tenant-policies.ts';

export const documents = pgTable(
  'documents',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** The client's own id for the document: re-sending it is idempotent, per project. */
    externalId: text('external_id'),
    title: text('title').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
    /** Built by the server from the context (tenants/{tenantId}/…); never taken from input. */
    objectKey: text('object_key'),
    status: documentStatus('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'documents_pkey', columns: [t.tenantId, t.id] }),
    // Target of the (tenant, project, document) foreign keys: a child row's project must match.
    unique('documents_tenant_project_id_key').on(t.tenantId, t.projectId, t.id),
    unique('documents_tenant_project_external_key').on(t.tenantId, t.projectId, t.externalId),
    index('documents_tenant_project_created_idx').on(t.tenantId, t.projectId, t.createdAt),
    foreignKey({
      name: 'documents_project_fkey',
      columns: [t.tenantId, t.projectId],
      foreignColumns: [projects.tenantId, projects.id],
    }).onDelete('cascade'),
    ...projectScoped('documents', t.tenantId, t.projectId),
  ],
);

export const chunks = pgTable(
  'chunks',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    documentId: uuid('document_id').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    tokenCount: integer('token_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'chunks_pkey', columns: [t.tenantId, t.id] }),
    // One row per (document, position): re-ingestion upserts instead of duplicating. Also the
    // tenant-led index that reads a document's chunks in order.
    unique('chunks_tenant_project_document_index_key').on(t.tenantId, t.projectId, t.documentId, t.chunkIndex),
    foreignKey({
      name: 'chunks_document_fkey',
      columns: [t.tenantId, t.projectId, t.documentId],
      foreignColumns: [documents.tenantId, documents.projectId, documents.id],
    }).onDelete('cascade'),
    ...projectScoped('chunks', t.tenantId, t.projectId),
  ],
);
