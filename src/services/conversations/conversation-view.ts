// Conversations and messages as the API returns them: an allow-list, never the stored end-user id.
import type { conversations } from '../../db/schema/conversations.ts';

type ConversationRow = typeof conversations.$inferSelect;

export interface MessageRow {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  createdAt: Date;
}

export const conversationView = (row: ConversationRow) => ({
  id: row.id,
  projectId: row.projectId,
  title: row.title,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const messageView = (row: MessageRow) => ({
  id: row.id,
  role: row.role,
  content: row.content,
  createdAt: row.createdAt.toISOString(),
});
