import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { bodyLimit } from './body-limit.ts';

let parsed = 0;
const app = appWith(bodyLimit({ maxBytes: 100 })).post('/echo', async (c) => {
  parsed++;
  return c.text(await c.req.text());
});

const stream = (chunks: number, size: number) => {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(120));
    },
  });
};
const streamed = (body: ReadableStream) => ({ method: 'POST', body, duplex: 'half' }) as RequestInit;

describe('bodyLimit', () => {
  it('passes a body at the limit', async () => {
    const res = await send(app, '/echo', { method: 'POST', body: 'x'.repeat(100) });
    expect([res.status, (await res.text()).length]).toEqual([200, 100]);
  });

  it('refuses by Content-Length with 413 in the envelope, before the handler reads anything', async () => {
    parsed = 0;
    const res = await send(app, '/echo', { method: 'POST', body: 'x'.repeat(101) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(parsed).toBe(0);
  });

  it('refuses a streamed body once it passes the limit, and passes a small one', async () => {
    parsed = 0;
    expect((await send(app, '/echo', streamed(stream(5, 30)))).status).toBe(413);
    expect(parsed).toBe(0);
    expect((await send(app, '/echo', streamed(stream(2, 30)))).status).toBe(200);
  });
});
