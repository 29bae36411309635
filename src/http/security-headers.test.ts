import { describe, expect, it } from 'vitest';
import { appWith, send } from '../../test/worker/edge/middleware-app.ts';
import { ApiError } from '../domain/api-error.ts';
import { securityHeaders } from './security-headers.ts';

const app = appWith(securityHeaders())
  .get('/ok', (c) => c.json({ ok: true }))
  .get('/fails', () => {
    throw new ApiError('forbidden', 'No');
  })
  .get('/crashes', () => {
    throw new Error('boom');
  })
  .get('/varies', (c) => c.body('x', 200, { Vary: 'Accept-Encoding' }));

describe('securityHeaders', () => {
  it.each(['/ok', '/fails', '/crashes', '/missing'])('%s: private no-store, Vary: Origin, nosniff', async (path) => {
    const res = await send(app, path);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("keeps a handler's own Vary and adds Origin", async () => {
    expect((await send(app, '/varies')).headers.get('vary')).toBe('Accept-Encoding, Origin');
  });
});
