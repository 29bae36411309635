import { describe, expect, it } from 'vitest';
import { ApiError } from '../domain/api-error.ts';
import { readCredentials } from './credentials.ts';

/** Headers that fail the test if `x-tenant-id` is so much as read. */
function headersGuardingTenantId(init: Record<string, string>): Headers {
  const headers = new Headers(init);
  const get = headers.get.bind(headers);
  headers.get = (name: string) => {
    if (name.toLowerCase() === 'x-tenant-id') throw new Error('x-tenant-id was read');
    return get(name);
  };
  return headers;
}

describe('readCredentials', () => {
  it('never reads x-tenant-id unless the development header is allowed', () => {
    const headers = headersGuardingTenantId({ 'x-tenant-id': 'anything', 'x-api-key': 'sk_x' });
    expect(readCredentials(headers, false)).toEqual({ apiKey: 'sk_x' });
    expect(() => readCredentials(headers, true)).toThrow('x-tenant-id was read');
  });

  it('tells a JWT (dots) from an API key in Authorization', () => {
    expect(readCredentials(new Headers({ authorization: 'Bearer a.b.c' }), false)).toEqual({ userToken: 'a.b.c' });
    expect(readCredentials(new Headers({ authorization: 'bearer sk_abc' }), false)).toEqual({ apiKey: 'sk_abc' });
    expect(readCredentials(new Headers({ authorization: 'Bearer a.b.c', 'x-api-key': 'pk_1' }), false)).toEqual({
      apiKey: 'pk_1',
      userToken: 'a.b.c',
    });
  });

  it.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Token sk_abc', 'Bearer a b'])('refuses %j with 401', (value) => {
    const attempt = () => readCredentials(new Headers({ authorization: value }), false);
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (error) {
      expect((error as ApiError).code).toBe('unauthorized');
    }
  });

  it('refuses two API keys with 400', () => {
    const headers = new Headers({ authorization: 'Bearer sk_one', 'x-api-key': 'sk_two' });
    expect(() => readCredentials(headers, false)).toThrow('Send one API key');
  });
});
