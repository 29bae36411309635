// docs/threat-model.md T50, JSON: extraction is linear in the input. Each key is written once, with
// its nesting shown by (bounded) indentation, never by repeating the path to every value, so a
// document of many values under a long path makes about as many chunks as plain text of its size.
import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk-text.ts';
import { jsonToText } from './json-to-text.ts';

const zeros = (count: number) => `[${Array(count).fill(0).join(',')}]`;
const prose = (length: number) => 'plain words of text. '.repeat(Math.ceil(length / 21)).slice(0, length);
const count = (text: string, word: string) => text.split(word).length - 1;

/** Chunks of `json`'s text against chunks of plain text as long as `json` itself. */
function measure(json: string) {
  const text = jsonToText(json);
  return { text, chunks: chunkText(text).length, plain: chunkText(prose(json.length)).length };
}

describe('jsonToText is linear', () => {
  it('2,000 keys × 1,000 zeros: about as many chunks as plain text of the same size', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key${i}`);
    const flat = `{${keys.map((key) => `"${key}":${zeros(1000)}`).join(',')}}`;
    const nested = `${keys.map((key) => `{"${key}":`).join('')}${zeros(1000)}${'}'.repeat(2000)}`;
    for (const json of [flat, nested]) {
      const { text, chunks, plain } = measure(json);
      expect(text.length).toBeLessThanOrEqual(2 * json.length);
      expect(chunks).toBeLessThanOrEqual(2 * plain + 1);
      for (const key of ['key0', 'key1999']) expect(count(text, `${key}:`)).toBe(1);
    }
  });

  it('deep nesting with many values under it: each key once, output within twice the input', () => {
    const depth = 5000;
    const members = Array.from({ length: 1000 }, (_, i) => `"m${i}":${i}`).join(',');
    const json = `${'{"level":'.repeat(depth)}{${members}}${'}'.repeat(depth)}`;
    const text = jsonToText(json);
    expect(count(text, 'level:')).toBe(depth);
    expect(count(text, 'm999: 999')).toBe(1);
    expect(text.length).toBeLessThanOrEqual(2 * json.length);
    const arrays = `${'['.repeat(100_000)}"bottom"${']'.repeat(100_000)}`;
    expect(jsonToText(arrays).length).toBeLessThanOrEqual(2 * arrays.length);
  });
});
