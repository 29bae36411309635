// The admin's view of chat: GET /v1/conversations (per project, per widget end user, newest first,
// paged like documents) and DELETE /v1/conversations/{id} (its messages and retrieval log go with
// it). Deleting is idempotent like DELETE /v1/documents/{id}: a conversation that is not there (any
// more, or for this caller: another tenant's, another project's) answers the same 204, and the audit
// row says not_found.
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  type ConversationFilter,
  conversationPage,
  conversationPageCondition,
  deleteConversationRecord,
} from '../../db/repositories/conversation-admin-records.ts';
import { conversationProject, conversationVisible } from '../../db/repositories/conversation-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import { decodeCursor, encodeCursor } from '../documents/list-documents.ts';
import type { ServiceCall } from '../service-deps.ts';

export interface ListConversationsInput extends ConversationFilter {
  limit: number;
  cursor?: string;
}

export async function listConversations({ ctx, deps, input }: ServiceCall<ListConversationsInput>) {
  const { limit, cursor, ...filter } = input;
  if (filter.projectId !== undefined) assertProjectInScope(ctx, filter.projectId);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    conversationPage(scope, conversationPageCondition(filter, after), limit),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, {
        action: 'conversation.list',
        projectId: filter.projectId,
        targetType: 'conversation',
        detail: { limit, paged: !!after, byEndUser: filter.endUserId !== undefined },
      }),
    ),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    conversations: page.map((row) => ({
      id: row.id,
      projectId: row.projectId,
      endUserId: row.endUserId,
      title: row.title,
      messages: row.messages,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
  };
}

export async function deleteConversation({ ctx, deps, input }: ServiceCall<{ conversationId: string }>) {
  const { conversationId } = input;
  const entry = accessEntry(ctx, deps, {
    action: 'conversation.delete',
    targetType: 'conversation',
    targetId: conversationId,
    projectOf: conversationProject(conversationId, undefined),
  });
  // The audit row's outcome (allowed or not_found) is decided before the delete, in the same batch.
  await withTenant(ctx, deps.settings, (scope) => [
    recordAccess(scope, entry, conversationVisible(conversationId, undefined)),
    deleteConversationRecord(scope, conversationId),
  ]);
}
