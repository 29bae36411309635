// Conversations as a tenant admin sees them: listed per project and per end user, newest first,
// and deleted (messages and retrievals cascade). RLS and the principal's project reach decide.
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { conversations } from '../schema/conversations.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface ConversationFilter {
  projectId?: string;
  endUserId?: string;
}

export interface ConversationCursor {
  createdAt: string;
  id: string;
}

export function conversationPageCondition(filter: ConversationFilter, after: ConversationCursor | undefined) {
  return and(
    filter.projectId === undefined ? undefined : eq(conversations.projectId, filter.projectId),
    filter.endUserId === undefined ? undefined : eq(conversations.endUserId, filter.endUserId),
    after === undefined
      ? undefined
      : sql`(${conversations.createdAt}, ${conversations.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
  );
}

/** `limit + 1` rows with their message counts. */
export function conversationPage({ db }: TenantScope, condition: SQL | undefined, limit: number) {
  return db
    .select({
      id: conversations.id,
      projectId: conversations.projectId,
      endUserId: conversations.endUserId,
      title: conversations.title,
      createdAt: conversations.createdAt,
      updatedAt: conversations.updatedAt,
      // Spelled out: drizzle leaves a single-table query's columns unqualified, which inside this
      // subquery would name the messages' own columns. Reads by the messages' (tenant, project,
      // conversation) index.
      messages: sql<number>`(select count(*)::int from messages as m
        where m.tenant_id = conversations.tenant_id and m.project_id = conversations.project_id
          and m.conversation_id = conversations.id)`,
      cursorAt: sql<string>`${conversations.createdAt}::text`,
    })
    .from(conversations)
    .where(condition)
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(limit + 1);
}

export function deleteConversationRecord({ db }: TenantScope, conversationId: string) {
  return db
    .delete(conversations)
    .where(eq(conversations.id, conversationId))
    .returning({ id: conversations.id, projectId: conversations.projectId });
}
