// Conversations and messages for the chat routes. A conversation is found by id alone (RLS and the
// principal's projects decide what exists) and, for a widget or end-user principal, only when it
// belongs to that end user: another user's conversation is indistinguishable from a missing one.
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { conversations, messages } from '../schema/conversations.ts';
import type { TenantScope } from '../tenant-scope.ts';

/** `undefined`: any end user (server-side principals); a string: only that end user's conversations. */
export type EndUserFilter = string | undefined;

export function conversationVisible(conversationId: string, endUser: EndUserFilter): SQL {
  const owner = endUser === undefined ? sql`` : sql` and end_user_id = ${endUser}`;
  return sql`exists (select 1 from conversations where id = ${conversationId}::uuid${owner})`;
}

/** The conversation's project when this caller may see it, for filing an audit row under it. */
export function conversationProject(conversationId: string, endUser: EndUserFilter): SQL {
  const owner = endUser === undefined ? sql`` : sql` and end_user_id = ${endUser}`;
  return sql`(select project_id from conversations where id = ${conversationId}::uuid${owner})`;
}

export function insertConversation(
  { ctx, db }: TenantScope,
  input: { id: string; projectId: string; endUserId: string | null; title: string | null },
) {
  return db
    .insert(conversations)
    .values({ ...input, tenantId: ctx.tenantId })
    .returning();
}

export function findConversation({ db }: TenantScope, conversationId: string, endUser: EndUserFilter) {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.id, conversationId),
        endUser === undefined ? undefined : eq(conversations.endUserId, endUser),
      ),
    );
}

/** Messages of a conversation, read only if the same visibility holds (one batch with the lookup). */
export function messagesOfVisibleConversation({ db }: TenantScope, conversationId: string, endUser: EndUserFilter) {
  return db
    .select({ id: messages.id, role: messages.role, content: messages.content, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), conversationVisible(conversationId, endUser)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/** The `limit` latest messages of a conversation, newest first, under the same visibility. */
export function latestMessagesOfVisibleConversation(
  { db }: TenantScope,
  conversationId: string,
  endUser: EndUserFilter,
  limit: number,
) {
  return db
    .select({ id: messages.id, role: messages.role, content: messages.content, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), conversationVisible(conversationId, endUser)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
}

export function insertMessage(
  { ctx, db }: TenantScope,
  input: { projectId: string; conversationId: string; role: 'user' | 'assistant'; content: string },
) {
  // clock_timestamp(), not now(): a question and its answer share one transaction, and now() would
  // give them the same time and no order.
  return db
    .insert(messages)
    .values({ ...input, tenantId: ctx.tenantId, createdAt: sql`clock_timestamp()` })
    .returning({ id: messages.id, role: messages.role, content: messages.content, createdAt: messages.createdAt });
}

export function touchConversation({ db }: TenantScope, conversationId: string) {
  return db
    .update(conversations)
    .set({ updatedAt: sql`clock_timestamp()` })
    .where(eq(conversations.id, conversationId))
    .returning({ id: conversations.id });
}
