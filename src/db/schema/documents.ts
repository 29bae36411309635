// Documents and their chunks: the hot read path of retrieval. Chunk text lives only here, under
// RLS; the vector store returns ids that are looked up in this table.
import { bigint, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { documentStatus } from './enums.ts';
import { projectForeignKey } from './projects.ts';
import {
  createdAtColumn,
  projectRowColumns,
  tenantForeignKey,
  tenantPrimaryKey,
  updatedAtColumn,
} from './tenant-columns.ts';
import { projectScoped } from './tenant-policies.ts';

export const documents = pgTable(
  'documents',
  {
    ...projectRowColumns(),
    /** The client's own id for the document: re-sending it is idempotent, per project. */
    externalId: text('external_id'),
    title: text('title').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
    /** Built by the server from the context (tenants/{tenantId}/…); never taken from input. */
    objectKey: text('object_key'),
    status: documentStatus('status').notNull().default('pending'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('documents', t),
    // Target of the (tenant, project, document) foreign keys: a child row's project must match.
    unique('documents_tenant_project_id_key').on(t.tenantId, t.projectId, t.id),
    unique('documents_tenant_project_external_key').on(t.tenantId, t.projectId, t.externalId),
    index('documents_tenant_project_created_idx').on(t.tenantId, t.projectId, t.createdAt),
    projectForeignKey('documents', t),
    ...projectScoped('documents', t.tenantId, t.projectId),
  ],
);

export const chunks = pgTable(
  'chunks',
  {
    ...projectRowColumns(),
    documentId: uuid('document_id').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    tokenCount: integer('token_count').notNull().default(0),
    createdAt: createdAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('chunks', t),
    // One row per (document, position): re-ingestion upserts instead of duplicating. Also the
    // tenant-led index that reads a document's chunks in order.
    unique('chunks_tenant_project_document_index_key').on(t.tenantId, t.projectId, t.documentId, t.chunkIndex),
    tenantForeignKey(
      'chunks_document_fkey',
      [t.tenantId, t.projectId, t.documentId],
      [documents.tenantId, documents.projectId, documents.id],
    ),
    ...projectScoped('chunks', t.tenantId, t.projectId),
  ],
);
