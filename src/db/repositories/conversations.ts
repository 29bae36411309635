// Conversations, their messages and the retrieval log, for the chat flow.
import { and, asc, eq } from 'drizzle-orm';
import { conversations, messages, retrievals } from '../schema/conversations.ts';
import type { TenantScope } from '../tenant-scope.ts';

export function startConversation({ ctx, db }: TenantScope, projectId: string, endUserId: string | null = null) {
  return db.insert(conversations).values({ tenantId: ctx.tenantId, projectId, endUserId }).returning();
}

export function appendMessage(
  { ctx, db }: TenantScope,
  input: { projectId: string; conversationId: string; role: 'system' | 'user' | 'assistant'; content: string },
) {
  return db
    .insert(messages)
    .values({
      tenantId: ctx.tenantId,
      projectId: input.projectId,
      conversationId: input.conversationId,
      role: input.role,
      content: input.content,
    })
    .returning();
}

export function messagesOfConversation({ db }: TenantScope, projectId: string, conversationId: string) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.projectId, projectId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.createdAt));
}

export function logRetrieval(
  { ctx, db }: TenantScope,
  input: {
    projectId: string;
    conversationId?: string | null;
    query: string;
    topK: number;
    results: Array<{ chunkId: string; score: number }>;
  },
) {
  return db
    .insert(retrievals)
    .values({
      tenantId: ctx.tenantId,
      projectId: input.projectId,
      conversationId: input.conversationId ?? null,
      query: input.query,
      topK: input.topK,
      results: input.results,
    })
    .returning({ id: retrievals.id });
}
