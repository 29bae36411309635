// POST /v1/conversations/{id}/messages: store the question, retrieve context from the tenant's
// documents, answer (a configured model, or retrieval-only), store the answer. Round trips: the
// conversation lookup, retrieval (cache or vectors, then chunks + retrieval log), the model if any,
// and one batch writing both messages with the audit row.

import { recordAccess } from '../../db/repositories/audit-access.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import {
  conversationProject,
  conversationVisible,
  findConversation,
  insertMessage,
  latestMessagesOfVisibleConversation,
  touchConversation,
} from '../../db/repositories/conversation-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError, notFound } from '../../domain/api-error.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import { retrieve } from '../retrieval/retrieve.ts';
import type { ServiceCall } from '../service-deps.ts';
import type { ChatTurn } from './chat-model.ts';
import { composeAnswer } from './compose-answer.ts';
import { messageView } from './conversation-view.ts';
import { assertChatEnabled } from './conversations.ts';
import { endUserFor } from './widget-user.ts';

export const DEFAULT_CHAT_TOP_K = 5;
/** How many earlier messages an answer sees: read with a LIMIT, never the whole conversation. */
export const HISTORY_MESSAGES = 20;

export interface PostMessageInput {
  conversationId: string;
  content: string;
  topK?: number;
  widgetUser?: string;
}

/** The route's guard audits this refusal (src/routes/v1/conversations.ts); the service checks too. */
export const RETRIEVAL_REQUIRED = 'This credential lacks the retrieval scope';

export async function postMessage({ ctx, deps, input }: ServiceCall<PostMessageInput>) {
  assertChatEnabled(ctx);
  // A retrieval-only answer quotes the chunks verbatim: what POST /v1/query gives, under its scope.
  if (!deps.chat && !ctx.scopes.has('retrieval')) throw new ApiError('forbidden', RETRIEVAL_REQUIRED);
  const { conversationId } = input;
  const { filter } = await endUserFor({ ctx, secret: deps.settings.WIDGET_USER_SECRET, presented: input.widgetUser });
  const action = { action: 'conversation.message', targetType: 'conversation', targetId: conversationId };
  const [rows, earlier] = await withTenant(ctx, deps.settings, (scope) => [
    findConversation(scope, conversationId, filter),
    latestMessagesOfVisibleConversation(scope, conversationId, filter, HISTORY_MESSAGES),
    recordAccess(
      scope,
      accessEntry(ctx, deps, { ...action, projectOf: conversationProject(conversationId, filter) }),
      conversationVisible(conversationId, filter),
      { onlyWhenMissing: true },
    ),
  ]);
  const conversation = rows[0];
  if (!conversation) throw notFound();
  const { projectId } = conversation;

  const { results } = await retrieve({
    ctx,
    deps,
    input: {
      query: input.content,
      topK: input.topK ?? Math.min(DEFAULT_CHAT_TOP_K, ctx.limits.maxTopK),
      projectId,
      conversationId,
    },
  });
  const history: ChatTurn[] = earlier
    .toReversed()
    .flatMap((m) => (m.role === 'system' ? [] : [{ role: m.role, content: m.content }]));
  const answer = await composeAnswer(deps.chat, input.content, results, history, {
    cite: isFeatureOn(ctx, 'citations'),
  });

  const [question, reply] = await withTenant(ctx, deps.settings, (scope) => [
    insertMessage(scope, { projectId, conversationId, role: 'user', content: input.content }),
    insertMessage(scope, { projectId, conversationId, role: 'assistant', content: answer.content }),
    touchConversation(scope, conversationId),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, {
        ...action,
        projectId,
        detail: { mode: answer.mode, citations: answer.citations.length },
      }),
    ),
  ]);
  return {
    conversationId,
    mode: answer.mode,
    question: messageView(question[0] as (typeof question)[number]),
    answer: messageView(reply[0] as (typeof reply)[number]),
    citations: answer.citations,
  };
}
