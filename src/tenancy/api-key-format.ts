// API key format: `{pk|sk}_{keyId}_{secret}_{checksum}`, e.g.
//   sk_7m2q9c4vx8kd_Xq3…(32 base62)…_3fZk9a
// - the prefix says what a key can do and lets secret scanners recognise a leak;
// - the key id (12 Crockford base32) is the public lookup handle, never secret;
// - the secret is 32 base62 characters (≈190 bits), so a plain SHA-256 is a safe stored hash;
// - the checksum (CRC-32 of everything before it, 6 base62) catches a typo before any lookup.
import { createHash } from 'node:crypto';
import { base32FromBytes, base62Fixed, base62FromBytes, base64UrlFromBytes, crc32 } from './key-encoding.ts';

export type ApiKeyKind = 'publishable' | 'secret';

const PREFIX: Record<ApiKeyKind, string> = { publishable: 'pk', secret: 'sk' };
const KEY_PATTERN = /^(pk|sk)_([0-9a-hjkmnp-tv-z]{12})_([0-9A-Za-z]{32})_([0-9A-Za-z]{6})$/;
export const KEY_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{12}$/;
export const KEY_ID_LENGTH = 12;
export const SECRET_LENGTH = 32;

export interface ParsedApiKey {
  kind: ApiKeyKind;
  keyId: string;
}

function checksum(body: string): string {
  return base62Fixed(crc32(body), 6);
}

/** Assembles a key from its parts; the parts must already have the right alphabet and length. */
export function formatApiKey(kind: ApiKeyKind, keyId: string, secret: string): string {
  const body = `${PREFIX[kind]}_${keyId}_${secret}`;
  return `${body}_${checksum(body)}`;
}

/** Kind and key id of a well-formed key whose checksum matches; undefined for anything else. */
export function parseApiKey(presented: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return undefined;
  const [, prefix, keyId, , sum] = match as unknown as [string, string, string, string, string];
  if (checksum(presented.slice(0, -7)) !== sum) return undefined;
  return { kind: prefix === 'pk' ? 'publishable' : 'secret', keyId };
}

/** A new random key. Store only `hash`; show `key` once to its owner. */
export async function mintApiKey(kind: ApiKeyKind): Promise<{ key: string; keyId: string; hash: string }> {
  const keyId = base32FromBytes(crypto.getRandomValues(new Uint8Array(8)), KEY_ID_LENGTH);
  const secret = base62FromBytes(crypto.getRandomValues(new Uint8Array(64)), SECRET_LENGTH);
  const key = formatApiKey(kind, keyId, secret);
  return { key, keyId, hash: await storedHashOf(key) };
}

/**
 * SHA-256 of the whole key, as raw bytes: what verification compares. node:crypto (nodejs_compat)
 * rather than crypto.subtle: synchronous, so a cached key costs no trip through a promise queue
 * (in Node, subtle.digest takes ~25 µs through the thread pool; createHash ~1 µs).
 */
export function apiKeyDigest(key: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(key, 'utf8').digest());
}

/** The form kept in the registry or database: `sha256:` + base64url digest. */
export async function storedHashOf(key: string): Promise<string> {
  return `sha256:${base64UrlFromBytes(apiKeyDigest(key))}`;
}
