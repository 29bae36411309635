import { describe, expect, it } from 'vitest';
import { chunkText, normaliseWhitespace } from './chunk-text.ts';

const sentences = (count: number) =>
  Array.from({ length: count }, (_, i) => `Sentence number ${i} talks about topic ${i % 7}.`).join(' ');

describe('chunkText', () => {
  it('keeps a short text as one chunk, and an empty one as none', () => {
    expect(chunkText('  Hello there.  ', { size: 100, overlap: 10 })).toEqual([
      { chunkIndex: 0, content: 'Hello there.', tokenCount: 3 },
    ]);
    expect(chunkText(' \n\n ', { size: 100, overlap: 10 })).toEqual([]);
  });

  it('respects the size, numbers chunks in order and covers every word', () => {
    const text = sentences(200);
    const chunks = chunkText(text, { size: 300, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(text.length / 300);
    chunks.forEach((chunk, i) => {
      expect(chunk.chunkIndex).toBe(i);
      expect(chunk.content.length).toBeLessThanOrEqual(300);
    });
    const seen = new Set(chunks.flatMap((chunk) => chunk.content.split(' ')));
    for (const word of text.split(' ')) expect(seen.has(word)).toBe(true);
  });

  it('ends chunks at sentence boundaries and overlaps at word starts', () => {
    const chunks = chunkText(sentences(60), { size: 250, overlap: 50 });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.content.endsWith('.')).toBe(true);
    for (const chunk of chunks.slice(1)) expect(chunk.content).toMatch(/^[A-Za-z0-9]/);
    // The overlap repeats the end of the previous chunk.
    const [first, second] = [chunks[0]?.content ?? '', chunks[1]?.content ?? ''];
    expect(first).toContain(second.slice(0, 20));
  });

  it('prefers paragraph breaks (Markdown sections)', () => {
    const markdown = `# Returns\n\n${'Returns are free. '.repeat(10)}\n\n# Shipping\n\n${'Shipping is fast. '.repeat(10)}`;
    const chunks = chunkText(markdown, { size: 260, overlap: 0 });
    expect(chunks[0]?.content.startsWith('# Returns')).toBe(true);
    expect(chunks[1]?.content.startsWith('# Shipping')).toBe(true);
  });

  it('cuts a word longer than a chunk, and is deterministic', () => {
    const text = 'x'.repeat(1000);
    const chunks = chunkText(text, { size: 100, overlap: 20 });
    expect(chunks.every((chunk) => chunk.content.length <= 100)).toBe(true);
    expect(chunks.map((c) => c.content).join('').length).toBeGreaterThanOrEqual(1000);
    expect(chunkText(sentences(50), { size: 200, overlap: 40 })).toEqual(
      chunkText(sentences(50), { size: 200, overlap: 40 }),
    );
  });

  it('refuses options that cannot work', () => {
    expect(() => chunkText('a', { size: 10, overlap: 0 })).toThrow(/at least 50/);
    expect(() => chunkText('a', { size: 100, overlap: 50 })).toThrow(/under half/);
  });

  it('normalises line endings and blank-line runs', () => {
    expect(normaliseWhitespace('a  \r\nb\r\n\r\n\r\n\nc ')).toBe('a\nb\n\nc');
  });
});
