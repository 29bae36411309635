import { describe, expect, it } from 'vitest';
import { formatApiKey, mintApiKey, parseApiKey, storedHashOf } from './api-key-format.ts';

describe('API key format', () => {
  it('mints {pk|sk}_{keyId}_{secret}_{checksum} that parses back, and a stored hash of it', async () => {
    for (const kind of ['publishable', 'secret'] as const) {
      const { key, keyId, hash } = await mintApiKey(kind);
      expect(key).toMatch(
        new RegExp(`^${kind === 'secret' ? 'sk' : 'pk'}_[0-9a-z]{12}_[0-9A-Za-z]{32}_[0-9A-Za-z]{6}$`),
      );
      expect(parseApiKey(key)).toEqual({ kind, keyId });
      expect(hash).toBe(await storedHashOf(key));
      expect(hash).not.toContain(key.split('_')[2]);
    }
  });

  it('two mints never share a key id or secret', async () => {
    const [a, b] = await Promise.all([mintApiKey('secret'), mintApiKey('secret')]);
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.key.split('_')[2]).not.toBe(b.key.split('_')[2]);
  });

  it('the checksum catches every single-character typo before any lookup', async () => {
    const { key } = await mintApiKey('secret');
    for (let i = 3; i < key.length; i++) {
      if (key[i] === '_') continue;
      const typo = `${key.slice(0, i)}${key[i] === 'a' ? 'b' : 'a'}${key.slice(i + 1)}`;
      expect(parseApiKey(typo), `position ${i}`).toBeUndefined();
    }
  });

  it.each(['', 'sk_', 'ghp_abc', 'xk_abcdefghjkmn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_AAAAAA', 'sk_ABCDEFGHJKMN_x_y'])(
    'refuses %j',
    (value) => expect(parseApiKey(value)).toBeUndefined(),
  );

  it('a swapped prefix fails the checksum', () => {
    const key = formatApiKey('publishable', 'abcdefghjkmn', 'A'.repeat(32));
    expect(parseApiKey(`sk${key.slice(2)}`)).toBeUndefined();
  });
});
