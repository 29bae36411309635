// docs/threat-model.md T50, chunking: linear in the text. Each kind of boundary is looked for only
// in the part of the text a chunk can end in, never back through everything before it, so a text
// that lacks some kind (here: headings, blank lines, line ends) costs what its length does. Before,
// this 4.2 MB text took longer than the test timeout (quadratic: every chunk rescanned the text).
import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk-text.ts';

describe('chunkText is linear', () => {
  it('a long text with no heading, blank line or line end still chunks at sentence ends', () => {
    const text = 'Plain words of text. '.repeat(200_000); // 4.2 MB, no \n at all
    const chunks = chunkText(text, { size: 1000, overlap: 150 });
    expect(chunks.length).toBeGreaterThan(text.length / 1000);
    expect(chunks.length).toBeLessThan(text.length / 800);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.content.endsWith('.')).toBe(true);
  });
});
