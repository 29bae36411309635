// GET /v1/conversations and DELETE /v1/conversations/{id} (admin). Mounted before the widget's
// conversation routes, whose chat scope and flag guard every path under /conversations: these
// answer first, so an admin lists and deletes conversations whatever the chat flag says.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { describeTenantRoute, json, noContent } from '../../../http/openapi-describe.ts';
import { validate } from '../../../http/openapi-validate.ts';
import { serviceCall } from '../../../http/service-deps.ts';
import { deleteConversation, listConversations } from '../../../services/conversations/conversation-admin.ts';
import { IdParam } from '../schemas.ts';
import { adminScope } from './guards.ts';
import { ConversationPage } from './response-schemas.ts';
import { ListConversationsQuery } from './schemas.ts';

const tags = ['admin: conversations'];
const credentials = ['secretKey' as const, 'userJwt' as const];

export const adminConversationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeTenantRoute({
      summary: 'List conversations, newest first, per project and per widget end user',
      tags,
      credentials,
      responses: { 200: json('A page of conversations', ConversationPage) },
    }),
    adminScope,
    validate('query', ListConversationsQuery),
    async (c) => c.json(await listConversations({ ...serviceCall(c), input: c.req.valid('query') })),
  )
  .delete(
    '/:id',
    describeTenantRoute({
      summary: 'Delete a conversation with its messages and retrieval log',
      tags,
      credentials,
      responses: { 204: noContent('Deleted, or not there') },
    }),
    adminScope,
    validate('param', IdParam),
    async (c) => {
      await deleteConversation({ ...serviceCall(c), input: { conversationId: c.req.valid('param').id } });
      return c.body(null, 204);
    },
  );
