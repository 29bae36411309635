// Idempotency-Key on state-changing POSTs (docs/threat-model.md T52). Mounted by each such route
// after its scope and feature guards, before validation. Without the header the request runs as
// always. With it: the key is checked (1–255 visible ASCII characters, else 400), claimed for this
// tenant and principal with the SHA-256 of method, path and body, and then
//   - a fresh claim runs the handler; a 2xx answer is stored and replayed for 24 h; any other
//     answer (a 4xx did no work, a 5xx may be a lost database) gives the claim up, so a retry runs;
//   - a completed claim with the same request replays the stored status and body, with
//     `Idempotent-Replayed: true`, and runs nothing;
//   - the same key with another request is 422 `idempotency_conflict`; a key whose first request is
//     still running is 409 `conflict` with Retry-After.
// Storing or releasing after the handler never changes its answer: if that write fails the claim
// stays in progress until its lease (5 min) ends, and retries get 409 until then.

import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { StoredResponse } from '../db/repositories/idempotency-keys.ts';
import { WIDGET_USER_HEADER } from '../services/conversations/widget-user.ts';
import {
  claimIdempotentRequest,
  completeIdempotentRequest,
  type IdempotentRequest,
  idempotencyRequestHash,
  parseIdempotencyKey,
  releaseIdempotentRequest,
} from '../services/idempotency.ts';
import type { TenantContext } from '../tenancy/context.ts';
import { sha256Hex } from '../tenancy/sha256.ts';
import type { AppEnv } from './app-env.ts';
import { serviceCall } from './service-deps.ts';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotentOptions {
  /**
   * Whether a 2xx body may be kept and replayed. One that may not (e.g. a freshly issued widget
   * user token, which the database must never hold) releases the claim instead.
   */
  storable?: (body: unknown) => boolean;
}

/**
 * Whose key it is: the principal's kind and id, and for a widget caller the SHA-256 of its
 * x-widget-user token, so two end users of one publishable key never share a key space.
 */
export function idempotencyPrincipal(ctx: TenantContext, widgetUser: string | undefined): string {
  const base = `${ctx.principal.kind}:${ctx.principal.id}`;
  return widgetUser === undefined ? base : `${base}:wu:${sha256Hex(widgetUser)}`;
}

async function storedResponse(response: Response, options: IdempotentOptions): Promise<StoredResponse | undefined> {
  if (response.status < 200 || response.status > 299) return undefined;
  if (!response.headers.get('content-type')?.startsWith('application/json')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(await response.clone().text());
  } catch {
    return undefined;
  }
  if (options.storable && !options.storable(body)) return undefined;
  return { status: response.status, body };
}

export const idempotent = (options: IdempotentOptions = {}) =>
  createMiddleware<AppEnv>(async function idempotent(c, next) {
    const header = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (header === undefined) return next();
    const key = parseIdempotencyKey(header);
    const { ctx, deps } = serviceCall(c);
    const body = await c.req.text(); // cached by Hono: validation reads the same body afterwards
    const input: IdempotentRequest = {
      principal: idempotencyPrincipal(ctx, c.req.header(WIDGET_USER_HEADER)),
      key,
      requestHash: idempotencyRequestHash(c.req.method, c.req.path, body),
    };
    const claim = await claimIdempotentRequest({ ctx, deps, input });
    if (claim.kind === 'replay') {
      c.header(REPLAYED_HEADER, 'true');
      return c.json(claim.response.body as object, claim.response.status as ContentfulStatusCode);
    }
    let stored: StoredResponse | undefined;
    try {
      await next(); // Hono turns a thrown error into c.res (onError) and sets c.error
      if (c.error === undefined) stored = await storedResponse(c.res, options);
    } finally {
      try {
        if (stored) await completeIdempotentRequest({ ctx, deps, input: { ...input, response: stored } });
        else await releaseIdempotentRequest({ ctx, deps, input });
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'error',
            requestId: c.get('requestId'),
            message: 'idempotency key not stored or released',
            error: String(error),
          }),
        );
      }
    }
  });
