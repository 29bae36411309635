// POST /v1/conversations/{id}/messages: store the question, retrieve context from the tenant's
// documents, answer (a configured model, or retrieval-only), store the answer. Round trips: the
// conversation lookup, retrieval (cache or vectors, then chunks + retrieval log), the model if any,
// and one batch writing both messages with the audit row. The streamed variant
// (stream-message.ts) shares the two halves: prepareTurn before the answer, storeTurn after it.

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
import type { TenantContext } from '../../tenancy/context.ts';
import { accessEntry, auditEntry } from '../audit.ts';
import { type RetrievedChunk, retrieve } from '../retrieval/retrieve.ts';
import type { ServiceCall, ServiceDeps } from '../service-deps.ts';
import type { ChatTurn } from './chat-model.ts';
import { type AnswerMode, type Citation, composeAnswer } from './compose-answer.ts';
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

/** Everything an answer is made from, read before any of it is written. */
export interface PreparedTurn {
  conversationId: string;
  projectId: string;
  question: string;
  chunks: RetrievedChunk[];
  history: ChatTurn[];
}

const messageAction = (conversationId: string) => ({
  action: 'conversation.message',
  targetType: 'conversation',
  targetId: conversationId,
});

/** The checks, the conversation (this caller's, else 404), its recent history and the retrieval. */
export async function prepareTurn({ ctx, deps, input }: ServiceCall<PostMessageInput>): Promise<PreparedTurn> {
  assertChatEnabled(ctx);
  // A retrieval-only answer quotes the chunks verbatim: what POST /v1/query gives, under its scope.
  if (!deps.chat && !ctx.scopes.has('retrieval')) throw new ApiError('forbidden', RETRIEVAL_REQUIRED);
  const { conversationId } = input;
  const { filter } = await endUserFor({ ctx, secret: deps.settings.WIDGET_USER_SECRET, presented: input.widgetUser });
  const [rows, earlier] = await withTenant(ctx, deps.settings, (scope) => [
    findConversation(scope, conversationId, filter),
    latestMessagesOfVisibleConversation(scope, conversationId, filter, HISTORY_MESSAGES),
    recordAccess(
      scope,
      accessEntry(ctx, deps, {
        ...messageAction(conversationId),
        projectOf: conversationProject(conversationId, filter),
      }),
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
  return { conversationId, projectId, question: input.content, chunks: results, history };
}

export interface FinishedAnswer {
  mode: AnswerMode;
  content: string;
  citations: Citation[];
}

/** Both messages, the conversation's update time and the audit row, in one batch; the API's answer. */
export async function storeTurn(ctx: TenantContext, deps: ServiceDeps, turn: PreparedTurn, answer: FinishedAnswer) {
  const { conversationId, projectId } = turn;
  const [question, reply] = await withTenant(ctx, deps.settings, (scope) => [
    insertMessage(scope, { projectId, conversationId, role: 'user', content: turn.question }),
    insertMessage(scope, { projectId, conversationId, role: 'assistant', content: answer.content }),
    touchConversation(scope, conversationId),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, {
        ...messageAction(conversationId),
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

export async function postMessage(call: ServiceCall<PostMessageInput>) {
  const { ctx, deps } = call;
  const turn = await prepareTurn(call);
  const answer = await composeAnswer(deps.chat, turn.question, turn.chunks, turn.history, {
    cite: isFeatureOn(ctx, 'citations'),
  });
  return storeTurn(ctx, deps, turn, answer);
}
