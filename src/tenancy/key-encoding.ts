// Text encodings for API keys. Alphabets are chosen so a key survives copy-paste and double-click
// selection: no punctuation inside a part, and key ids avoid letters that read like digits.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Crockford's base32, lower case: no i, l, o, u. */
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `length` base62 characters drawn from `bytes` by rejection sampling (bytes ≥ 248 are skipped),
 * so every character is uniform. Throws if `bytes` run out; pass about twice what is needed.
 */
export function base62FromBytes(bytes: Uint8Array, length: number): string {
  let out = '';
  for (const byte of bytes) {
    if (byte >= 248) continue;
    out += BASE62[byte % 62];
    if (out.length === length) return out;
  }
  throw new Error('not enough random bytes for the requested length');
}

/** `value` (a non-negative integer below 62^width) as exactly `width` base62 characters. */
export function base62Fixed(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** The first `length` × 5 bits of `bytes` as Crockford base32. */
export function base32FromBytes(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
    if (out.length === length) return out;
  }
  throw new Error('not enough bytes for the requested length');
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE) of an ASCII string: catches typos, not forgeries. */
export function crc32(ascii: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++) {
    crc = (CRC_TABLE[(crc ^ ascii.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function base64UrlFromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function bytesFromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
