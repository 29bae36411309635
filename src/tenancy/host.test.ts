import { describe, expect, it } from 'vitest';
import { hostClaim } from './host.ts';

const API = 'api.bulkhead.localhost';
const claim = (url: string) => hostClaim(url, API);

describe('hostClaim', () => {
  it.each([
    ['https://acme.api.bulkhead.localhost/x', { kind: 'slug', slug: 'acme' }],
    ['https://ACME.API.Bulkhead.localhost./x', { kind: 'slug', slug: 'acme' }],
    ['http://acme.api.bulkhead.localhost:8787/x', { kind: 'slug', slug: 'acme' }],
    ['https://api.bulkhead.localhost/x', { kind: 'none' }],
    ['https://api.bulkhead.localhost./x', { kind: 'none' }],
    ['http://127.0.0.1:8787/x', { kind: 'none' }],
    ['https://acme.api.bulkhead.localhost.evil.com/x', { kind: 'none' }],
    ['https://evilapi.bulkhead.localhost/x', { kind: 'none' }],
    ['https://www.acme.api.bulkhead.localhost/x', { kind: 'invalid' }],
    ['https://xn--acm-2na.api.bulkhead.localhost/x', { kind: 'invalid' }],
    ['https://\u0430cme.api.bulkhead.localhost/x', { kind: 'invalid' }],
    ['https://-acme.api.bulkhead.localhost/x', { kind: 'invalid' }],
  ])('%s → %o', (url, expected) => {
    expect(claim(url)).toEqual(expected);
  });
});
