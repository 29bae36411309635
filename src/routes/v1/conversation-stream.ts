// POST /v1/conversations/{id}/messages with `Accept: text/event-stream`: the answer as server-sent
// events (docs/widget.md). Mounted before the conversation routes, it takes only requests that ask
// for events and passes every other request on untouched (next()), so the JSON route, its guards
// and its Idempotency-Key handling stay one code path. The tenant's `streaming` flag decides:
// on → events; off → the JSON answer when the Accept header also takes JSON, else 403
// feature_disabled (audited). A stream cannot be replayed, so Idempotency-Key is refused here.
import { type Context, Hono } from 'hono';
import { except } from 'hono/combine';
import { createMiddleware } from 'hono/factory';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';
import { ApiError } from '../../domain/api-error.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../http/idempotency.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { validate } from '../../http/validate.ts';
import { answersQuoteChunks } from '../../services/conversations/chat-model.ts';
import { CHAT_DISABLED } from '../../services/conversations/conversations.ts';
import { streamMessage } from '../../services/conversations/stream-message.ts';
import { WIDGET_USER_HEADER } from '../../services/conversations/widget-user.ts';
import { isFeatureOn } from '../../tenancy/build-context.ts';
import { requireAuditedFeature, requireAuditedScope } from './guards.ts';
import { IdParam, MessageBody, WidgetUserHeader } from './schemas.ts';

export const STREAMING_DISABLED = 'Streaming is not enabled for this tenant';
export const STREAM_NOT_IDEMPOTENT = `${IDEMPOTENCY_KEY_HEADER} is not accepted on a streamed answer: ask for application/json to use it`;

interface Accepted {
  events: boolean;
  json: boolean;
}

/** Which of the two answers the Accept header takes (a q=0 range takes nothing). */
export function acceptedAnswers(accept: string | undefined): Accepted {
  const ranges = (accept ?? '')
    .split(',')
    .map((part) => part.split(';'))
    .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p)))
    .map(([range]) => (range ?? '').trim().toLowerCase());
  return {
    events: ranges.includes('text/event-stream'),
    json: ranges.some((r) => r === 'application/json' || r === 'application/*' || r === '*/*'),
  };
}

/** The request the JSON route answers: no event stream asked for, or streaming off and JSON taken. */
function answeredAsJson(c: Context<AppEnv>): boolean {
  const { events, json } = acceptedAnswers(c.req.header('accept'));
  if (!events) return true;
  return json && !isFeatureOn(c.get('tenant'), 'streaming');
}

const retrievalScope = requireAuditedScope('retrieval');
const requireRetrievalForQuotedAnswers = createMiddleware<AppEnv>(
  async function requireRetrievalForQuotedAnswers(c, next) {
    if (!answersQuoteChunks(c.get('settings'))) return next();
    return retrievalScope(c, next);
  },
);

const refuseIdempotencyKey = createMiddleware<AppEnv>(async function refuseIdempotencyKey(c, next) {
  if (c.req.header(IDEMPOTENCY_KEY_HEADER) !== undefined) throw new ApiError('bad_request', STREAM_NOT_IDEMPOTENT);
  return next();
});

type Valid = {
  json: z.infer<typeof MessageBody>;
  param: z.infer<typeof IdParam>;
  header: z.infer<typeof WidgetUserHeader>;
};
const valid = <T extends keyof Valid>(c: Context<AppEnv>, target: T) =>
  (c.req as unknown as { valid(target: T): Valid[T] }).valid(target);

async function streamAnswer(c: Context<AppEnv>) {
  const input = {
    ...valid(c, 'json'),
    conversationId: valid(c, 'param').id,
    widgetUser: valid(c, 'header')[WIDGET_USER_HEADER],
  };
  // Awaited before the stream opens: a 404 or a refusal is the usual JSON envelope, not an event.
  const events = await streamMessage({ ...serviceCall(c), input });
  const requestId = c.get('requestId');
  let finished = () => {};
  const answered = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // A visitor who closes the page mid-answer still gets it stored (the writes go nowhere): the
  // Worker is kept alive until the last event, not only while the client reads.
  keepAlive(c, answered);
  return streamSSE(c, async (stream) => {
    let n = 0;
    try {
      for await (const { event, data } of events)
        await stream.writeSSE({ event, data: JSON.stringify(data), id: String(n++) });
    } catch (error) {
      console.error(JSON.stringify({ event: 'stream.failed', requestId, message: String(error) }));
      // The one envelope's body, as an event: the status line (200) was sent with the first event.
      const { code, message } =
        error instanceof ApiError ? error : new ApiError('internal_error', 'The answer could not be completed');
      const data = JSON.stringify({ error: { code, message, requestId } });
      await stream.writeSSE({ event: 'error', data, id: String(n++) });
    } finally {
      finished();
    }
  });
}

function keepAlive(c: Context<AppEnv>, work: Promise<void>): void {
  let executionCtx: Context<AppEnv>['executionCtx'];
  try {
    executionCtx = c.executionCtx;
  } catch {
    return; // no execution context (app.request without one): nothing can end the work early
  }
  executionCtx.waitUntil(work);
}

export const conversationStreamRoutes = new Hono<AppEnv>().post(
  '/:id/messages',
  except(
    answeredAsJson,
    requireAuditedScope('chat'),
    requireAuditedFeature('chat', CHAT_DISABLED),
    requireAuditedFeature('streaming', STREAMING_DISABLED),
    requireRetrievalForQuotedAnswers,
    refuseIdempotencyKey,
    validate('header', WidgetUserHeader),
    validate('param', IdParam),
    validate('json', MessageBody),
    streamAnswer,
  ),
);
