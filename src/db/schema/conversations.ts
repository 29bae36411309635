// Chat: conversations, their messages, and the log of retrievals (query and what it returned).
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { messageRole } from './enums.ts';
import { projects } from './projects.ts';
import { projectScoped } from './tenant-policies.ts';

export const conversations = pgTable(
  'conversations',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** The widget's end user (opaque), if known. */
    endUserId: text('end_user_id'),
    title: text('title'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'conversations_pkey', columns: [t.tenantId, t.id] }),
    unique('conversations_tenant_project_id_key').on(t.tenantId, t.projectId, t.id),
    index('conversations_tenant_project_updated_idx').on(t.tenantId, t.projectId, t.updatedAt),
    foreignKey({
      name: 'conversations_project_fkey',
      columns: [t.tenantId, t.projectId],
      foreignColumns: [projects.tenantId, projects.id],
    }).onDelete('cascade'),
    ...projectScoped('conversations', t.tenantId, t.projectId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.tenantId, t.id] }),
    index('messages_tenant_project_conversation_idx').on(t.tenantId, t.projectId, t.conversationId, t.createdAt),
    foreignKey({
      name: 'messages_conversation_fkey',
      columns: [t.tenantId, t.projectId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.projectId, conversations.id],
    }).onDelete('cascade'),
    ...projectScoped('messages', t.tenantId, t.projectId),
  ],
);

export const retrievals = pgTable(
  'retrievals',
  {
    tenantId: uuid('tenant_id').notNull(),
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    conversationId: uuid('conversation_id'),
    query: text('query').notNull(),
    topK: integer('top_k').notNull(),
    /** [{ chunkId, score }]: ids of this tenant's chunks, never their text. */
    results: jsonb('results').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'retrievals_pkey', columns: [t.tenantId, t.id] }),
    index('retrievals_tenant_project_created_idx').on(t.tenantId, t.projectId, t.createdAt),
    foreignKey({
      name: 'retrievals_conversation_fkey',
      columns: [t.tenantId, t.projectId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.projectId, conversations.id],
    }).onDelete('cascade'),
    ...projectScoped('retrievals', t.tenantId, t.projectId),
  ],
);
