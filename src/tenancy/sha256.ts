// SHA-256 as lower-case hex, for names derived from secrets or free text (cache keys, widget users).
// node:crypto (nodejs_compat) rather than crypto.subtle: synchronous, and in Node ~1 µs against
// ~25–50 µs for subtle.digest, which goes through the thread pool (see api-key-format.ts).
import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return Array.from(createHash('sha256').update(text, 'utf8').digest(), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
