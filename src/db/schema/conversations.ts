// Chat: conversations, their messages, and the log of retrievals (query and what it returned).
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { messageRole } from './enums.ts';
import { projectForeignKey } from './projects.ts';
import {
  createdAtColumn,
  projectRowColumns,
  tenantForeignKey,
  tenantPrimaryKey,
  updatedAtColumn,
} from './tenant-columns.ts';
import { projectScoped } from './tenant-policies.ts';

export const conversations = pgTable(
  'conversations',
  {
    ...projectRowColumns(),
    /** The widget's end user (opaque), if known. */
    endUserId: text('end_user_id'),
    title: text('title'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('conversations', t),
    unique('conversations_tenant_project_id_key').on(t.tenantId, t.projectId, t.id),
    index('conversations_tenant_project_updated_idx').on(t.tenantId, t.projectId, t.updatedAt),
    projectForeignKey('conversations', t),
    ...projectScoped('conversations', t.tenantId, t.projectId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    ...projectRowColumns(),
    conversationId: uuid('conversation_id').notNull(),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('messages', t),
    index('messages_tenant_project_conversation_idx').on(t.tenantId, t.projectId, t.conversationId, t.createdAt),
    tenantForeignKey(
      'messages_conversation_fkey',
      [t.tenantId, t.projectId, t.conversationId],
      [conversations.tenantId, conversations.projectId, conversations.id],
    ),
    ...projectScoped('messages', t.tenantId, t.projectId),
  ],
);

export const retrievals = pgTable(
  'retrievals',
  {
    ...projectRowColumns(),
    conversationId: uuid('conversation_id'),
    query: text('query').notNull(),
    topK: integer('top_k').notNull(),
    /** [{ chunkId, score }]: ids of this tenant's chunks, never their text. */
    results: jsonb('results').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    tenantPrimaryKey('retrievals', t),
    index('retrievals_tenant_project_created_idx').on(t.tenantId, t.projectId, t.createdAt),
    // Covers the conversation foreign key, whose cascade runs on every conversation delete. Partial:
    // most retrievals (POST /v1/query) have no conversation, and a NULL reference is never checked.
    index('retrievals_tenant_project_conversation_idx')
      .on(t.tenantId, t.projectId, t.conversationId)
      .where(sql`${t.conversationId} is not null`),
    tenantForeignKey(
      'retrievals_conversation_fkey',
      [t.tenantId, t.projectId, t.conversationId],
      [conversations.tenantId, conversations.projectId, conversations.id],
    ),
    ...projectScoped('retrievals', t.tenantId, t.projectId),
  ],
);
