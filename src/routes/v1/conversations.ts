// /v1/conversations: what the chat widget calls with its publishable key. The widget's anonymous
// end user travels in the x-widget-user header, issued by the first POST. Without a chat model an
// answer quotes the retrieved chunks verbatim, so posting a message then needs `retrieval` too.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { describeTenantRoute, json, media } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { answersQuoteChunks } from '../../services/conversations/chat-model.ts';
import { CHAT_DISABLED, getConversation, startConversation } from '../../services/conversations/conversations.ts';
import { postMessage } from '../../services/conversations/post-message.ts';
import { WIDGET_USER_HEADER } from '../../services/conversations/widget-user.ts';
import { requireAuditedFeature, requireAuditedScope } from './guards.ts';
import { ConversationWithMessages, StartedConversation, Turn } from './response-schemas.ts';
import { IdParam, MessageBody, StartConversationBody, WidgetUserHeader } from './schemas.ts';

const retrievalScope = requireAuditedScope('retrieval');
const tags = ['conversations'];
const credentials = ['publishableKey', 'secretKey', 'userJwt'] as const;

const MESSAGE_EVENTS = `With \`Accept: text/event-stream\` (and the tenant's \`streaming\` feature on) the answer comes as server-sent events instead (src/routes/v1/conversation-stream.ts, docs/widget.md): \`start\` { conversationId, mode }, then \`delta\` { text } pieces, then \`done\` with the stored turn (the JSON answer's fields, citations with a snippet); a failure after the first event is an \`error\` event carrying the error envelope, and nothing is stored. Errors before the stream opens are the usual JSON envelope. A streamed answer refuses Idempotency-Key (400).`;

/** A started conversation that issued a widget user token is not kept: the database never holds one. */
const withoutIssuedToken = (body: unknown) => !(typeof body === 'object' && body !== null && 'widgetUser' in body);

/** Retrieval-only answers are POST /v1/query's chunks: the same scope, refused and audited alike. */
const requireRetrievalForQuotedAnswers = createMiddleware<AppEnv>(
  async function requireRetrievalForQuotedAnswers(c, next) {
    if (!answersQuoteChunks(c.get('settings'))) return next();
    return retrievalScope(c, next);
  },
);

export const conversationRoutes = new Hono<AppEnv>()
  .use(requireAuditedScope('chat'), requireAuditedFeature('chat', CHAT_DISABLED))
  .post(
    '/',
    describeTenantRoute({
      summary: 'Start a conversation',
      description:
        'A widget caller without x-widget-user is issued one (`widgetUser`), returned once: send it on every later call. Needs chat and the chat feature.',
      tags,
      credentials: [...credentials],
      idempotent: true,
      responses: { 201: json('The conversation', StartedConversation) },
    }),
    idempotent({ storable: withoutIssuedToken }),
    validate('header', WidgetUserHeader),
    validate('json', StartConversationBody),
    async (c) => {
      const widgetUser = c.req.valid('header')[WIDGET_USER_HEADER];
      const started = await startConversation({ ...serviceCall(c), input: { ...c.req.valid('json'), widgetUser } });
      return c.json(started, 201);
    },
  )
  .get(
    '/:id',
    describeTenantRoute({
      summary: 'A conversation and its messages, oldest first',
      tags,
      credentials: [...credentials],
      responses: { 200: json('The conversation', ConversationWithMessages) },
    }),
    validate('header', WidgetUserHeader),
    validate('param', IdParam),
    async (c) => {
      const input = { conversationId: c.req.valid('param').id, widgetUser: c.req.valid('header')[WIDGET_USER_HEADER] };
      return c.json(await getConversation({ ...serviceCall(c), input }));
    },
  )
  .post(
    '/:id/messages',
    describeTenantRoute({
      summary: 'Ask a question: the answer, grounded in the project’s documents, with citations',
      description: MESSAGE_EVENTS,
      tags,
      credentials: [...credentials],
      idempotent: true,
      responses: {
        200: media('The answer as server-sent events (Accept: text/event-stream)', 'text/event-stream'),
        201: json('The stored question and answer', Turn),
      },
    }),
    requireRetrievalForQuotedAnswers,
    idempotent(),
    validate('header', WidgetUserHeader),
    validate('param', IdParam),
    validate('json', MessageBody),
    async (c) => {
      const input = {
        ...c.req.valid('json'),
        conversationId: c.req.valid('param').id,
        widgetUser: c.req.valid('header')[WIDGET_USER_HEADER],
      };
      return c.json(await postMessage({ ...serviceCall(c), input }), 201);
    },
  );
