// /v1/conversations: what the chat widget calls with its publishable key. The widget's anonymous
// end user travels in the x-widget-user header, issued by the first POST. Without a chat model an
// answer quotes the retrieved chunks verbatim, so posting a message then needs `retrieval` too.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { validate } from '../../http/validate.ts';
import { answersQuoteChunks } from '../../services/conversations/chat-model.ts';
import { CHAT_DISABLED, getConversation, startConversation } from '../../services/conversations/conversations.ts';
import { postMessage } from '../../services/conversations/post-message.ts';
import { WIDGET_USER_HEADER } from '../../services/conversations/widget-user.ts';
import { requireAuditedFeature, requireAuditedScope } from './guards.ts';
import { IdParam, MessageBody, StartConversationBody, WidgetUserHeader } from './schemas.ts';

const retrievalScope = requireAuditedScope('retrieval');

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
    idempotent({ storable: withoutIssuedToken }),
    validate('header', WidgetUserHeader),
    validate('json', StartConversationBody),
    async (c) => {
      const widgetUser = c.req.valid('header')[WIDGET_USER_HEADER];
      const started = await startConversation({ ...serviceCall(c), input: { ...c.req.valid('json'), widgetUser } });
      return c.json(started, 201);
    },
  )
  .get('/:id', validate('header', WidgetUserHeader), validate('param', IdParam), async (c) => {
    const input = { conversationId: c.req.valid('param').id, widgetUser: c.req.valid('header')[WIDGET_USER_HEADER] };
    return c.json(await getConversation({ ...serviceCall(c), input }));
  })
  .post(
    '/:id/messages',
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
