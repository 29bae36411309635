// Text Postgres stores exactly as it was sent. `text` and `jsonb` refuse U+0000 (a 500 if it
// reached them), `jsonb` refuses an unpaired UTF-16 surrogate and `text` would silently keep U+FFFD
// in its place; request strings are checked against this before any statement, and extracted
// document text before its chunks are written.

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT = 'must not contain NUL (U+0000) or unpaired surrogate characters';

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}
