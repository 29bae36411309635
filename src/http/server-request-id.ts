// The request id is the server's own: a fresh uuid per request, sent back as `X-Request-Id` and
// filed in every audit row and error envelope. Hono's requestId middleware adopts a client's
// `X-Request-Id`, which would let a caller choose the id its own audited actions are filed under
// (docs/threat-model.md T41). A client's id, when well-formed, is kept apart as `clientRequestId`
// for correlating logs, and never stands in for the server's.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.ts';

const CLIENT_ID = /^[\w\-=.:]{1,64}$/;

export const serverRequestId = () =>
  createMiddleware<AppEnv>(async function serverRequestId(c, next) {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    const client = c.req.header('x-request-id');
    if (client !== undefined && CLIENT_ID.test(client)) c.set('clientRequestId', client);
    c.header('X-Request-Id', requestId);
    await next();
  });
