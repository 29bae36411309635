// POST /v1/conversations and GET /v1/conversations/{id}: what the widget calls with its publishable
// key. A conversation another end user started, another tenant's, and a random id all answer the
// same 404, and the lookup, its messages and its audit row are one batch.

import { isForeignKeyViolation } from '../../db/postgres-errors.ts';
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  conversationProject,
  conversationVisible,
  findConversation,
  insertConversation,
  messagesOfVisibleConversation,
} from '../../db/repositories/conversation-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError, notFound } from '../../domain/api-error.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import { resolveProjectId } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';
import { conversationView, messageView } from './conversation-view.ts';
import { endUserFor, endUserForNewConversation } from './widget-user.ts';

export const CHAT_DISABLED = 'Chat is not enabled for this tenant';

export function assertChatEnabled(ctx: TenantContext): void {
  if (!isFeatureOn(ctx, 'chat')) throw new ApiError('feature_disabled', CHAT_DISABLED);
}

export async function startConversation({
  ctx,
  deps,
  input,
}: ServiceCall<{ projectId?: string; title?: string; widgetUser?: string }>) {
  assertChatEnabled(ctx);
  const endUser = await endUserForNewConversation({
    ctx,
    secret: deps.settings.WIDGET_USER_SECRET,
    presented: input.widgetUser,
  });
  const projectId = await resolveProjectId({ ctx, deps, input: input.projectId });
  const id = crypto.randomUUID();
  let inserted: Awaited<ReturnType<typeof insertConversation>>;
  try {
    [inserted] = await withTenant(ctx, deps.settings, (scope) => [
      insertConversation(scope, { id, projectId, endUserId: endUser.endUserId, title: input.title ?? null }),
      recordAuditEvent(
        scope,
        auditEntry(ctx, deps, { action: 'conversation.create', projectId, targetType: 'conversation', targetId: id }),
      ),
    ]);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound();
    throw error;
  }
  const row = inserted[0];
  if (!row) throw new Error('conversation insert returned no row');
  return { conversation: conversationView(row), ...(endUser.issued && { widgetUser: endUser.issued }) };
}

export async function getConversation({
  ctx,
  deps,
  input,
}: ServiceCall<{ conversationId: string; widgetUser?: string }>) {
  assertChatEnabled(ctx);
  const { conversationId } = input;
  const { filter } = await endUserFor({ ctx, secret: deps.settings.WIDGET_USER_SECRET, presented: input.widgetUser });
  const [rows, messages] = await withTenant(ctx, deps.settings, (scope) => [
    findConversation(scope, conversationId, filter),
    messagesOfVisibleConversation(scope, conversationId, filter),
    recordAccess(
      scope,
      accessEntry(ctx, deps, {
        action: 'conversation.read',
        targetType: 'conversation',
        targetId: conversationId,
        projectOf: conversationProject(conversationId, filter),
      }),
      conversationVisible(conversationId, filter),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound();
  return { conversation: conversationView(row), messages: messages.map(messageView) };
}
