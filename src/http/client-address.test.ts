import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const of = (value?: string) => clientAddress(new Headers(value === undefined ? {} : { 'cf-connecting-ip': value }));

describe('clientAddress', () => {
  it('is undefined without CF-Connecting-IP: the request did not come through the edge', () => {
    expect(of()).toBeUndefined();
    expect(of('  ')).toBeUndefined();
  });

  it('keeps an IPv4 address, normalised', () => {
    expect(of('203.0.113.7')).toBe('203.0.113.7');
    expect(of(' 203.0.113.007 ')).toBe('203.0.113.7');
  });

  it('cuts IPv6 to its /64, whatever the spelling', () => {
    const prefix = '2001:db8:1:2::/64';
    for (const value of [
      '2001:db8:1:2::1',
      '2001:0DB8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:0:0:0:9',
      '2001:db8:1:2::a:b',
    ])
      expect(of(value), value).toBe(prefix);
    expect(of('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(of('::1')).toBe('0:0:0:0::/64');
    expect(of('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('counts IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(of('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(of('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('puts every unparseable value in one bucket', () => {
    for (const value of ['not an address', '256.1.1.1', '1.2.3', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', 'gggg::1'])
      expect(of(value), value).toBe('unparseable');
  });
});
