import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { boundedFetch } from '../config/bounded-fetch.ts';
import { outboundSignal } from '../config/request-deadline-scope.ts';
import { DEADLINE_RETRY_AFTER_SECONDS } from '../config/timeouts.ts';
import { requestDeadline } from './request-deadline.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seen: { abortedAfterDeadline?: boolean; lateFetch?: string } = {};
// A Pinecone stand-in path that answers at once: the late call must fail without waiting for it.
const reachable = `${env.PINECONE_INDEX_HOST}/describe_index_stats`;

const app = appWith(requestDeadline({ ms: 200 }))
  .get('/fast', (c) => c.text('ok'))
  .get('/slow', async (c) => {
    await sleep(400);
    // What the abandoned handler meets at its next outbound call, after the 503 went out.
    seen.abortedAfterDeadline = outboundSignal(60_000).aborted;
    seen.lateFetch = await boundedFetch(60_000)(reachable, { method: 'POST' }).then(
      (res) => `answered ${res.status}`,
      (error: Error) => error.name,
    );
    return c.text('too late');
  });

describe('requestDeadline', () => {
  it('passes an answer that comes in time', async () => {
    const res = await send(app, '/fast');
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });

  it('answers 503 unavailable with Retry-After when the deadline passes, in the envelope', async () => {
    const started = Date.now();
    const res = await send(app, '/slow');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(DEADLINE_RETRY_AFTER_SECONDS);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(400); // not after the handler
  });

  it('cuts every outbound call the abandoned handler makes afterwards', async () => {
    await send(app, '/slow');
    await sleep(500);
    expect(seen).toEqual({ abortedAfterDeadline: true, lateFetch: 'OutboundFailure' });
  });

  it('outside a request, a call has its own limit only', () => {
    expect(outboundSignal(60_000).aborted).toBe(false);
  });
});
