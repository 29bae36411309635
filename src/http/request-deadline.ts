// The request deadline (docs/threat-model.md T67): every request answers within `ms`, whatever its
// dependencies do. Two halves, because neither is enough alone:
// - the deadline's AbortSignal is put in scope (src/config/request-deadline-scope.ts) for every
//   outbound call the request makes: the Neon HTTP driver's, Pinecone's and the object store's
//   fetch join it to their own limits (src/config/timeouts.ts), so once it passes, the call in flight
//   is cut and any later call fails at once: the flow stops at its next I/O instead of writing on
//   while nobody waits for it;
// - a race here answers 503 `unavailable` with Retry-After when the deadline passes, for the work
//   no signal reaches (a Durable Object, a Workers AI call, a WebSocket statement).
// A signal in scope rather than a deadline argument on every service: no service can forget it.
// Once the handler has answered (a streamed answer included) the deadline is disarmed.
import { createMiddleware } from 'hono/factory';
import { withinDeadline } from '../config/request-deadline-scope.ts';
import { DEADLINE_RETRY_AFTER_SECONDS, TIMEOUTS } from '../config/timeouts.ts';
import { ApiError } from '../domain/api-error.ts';
import type { AppEnv } from './app-env.ts';

export interface RequestDeadlineOptions {
  /** Default TIMEOUTS.requestDeadlineMs; tests shorten it. */
  ms?: number;
}

export const deadlinePassed = () =>
  new ApiError('unavailable', 'The request could not be completed in time; retry shortly.', {
    'Retry-After': DEADLINE_RETRY_AFTER_SECONDS,
  });

export const requestDeadline = (options: RequestDeadlineOptions = {}) =>
  createMiddleware<AppEnv>(async function requestDeadline(_c, next) {
    const ms = options.ms ?? TIMEOUTS.requestDeadlineMs;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const passed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = deadlinePassed();
        controller.abort(error);
        reject(error);
      }, ms);
    });
    const work = withinDeadline(controller.signal, () => next());
    // The abandoned work may still fail after the answer went out; that is not an unhandled rejection.
    work.catch(() => {});
    try {
      await Promise.race([work, passed]);
    } finally {
      clearTimeout(timer);
    }
  });
