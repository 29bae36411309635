import { describe, expect, it } from 'vitest';
import { embedTexts } from './embedder.ts';
import { LOCAL_EMBEDDER_DIMENSION, lexicalVector, localEmbedder } from './local-embedder.ts';

const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe('local lexical embedder', () => {
  it('is deterministic, unit length and 384-dimensional by default', async () => {
    const [first] = await localEmbedder().embed(['Refunds are processed within five days.'], 'document');
    const again = lexicalVector('Refunds are processed within five days.');
    expect(first).toEqual(again);
    expect(again).toHaveLength(LOCAL_EMBEDDER_DIMENSION);
    expect(norm(again)).toBeCloseTo(1, 10);
  });

  it('scores shared words above unrelated text (lexical, not semantic)', () => {
    const query = lexicalVector('how long do refunds take');
    const answer = lexicalVector('Refunds take five business days to reach your card.');
    const unrelated = lexicalVector('Our office dog is called Biscuit.');
    const synonym = lexicalVector('Reimbursements need a week.');
    expect(dot(query, answer)).toBeGreaterThan(dot(query, unrelated) + 0.2);
    // A synonym without shared words or trigrams is not recognised: documented, not a bug.
    expect(dot(query, answer)).toBeGreaterThan(dot(query, synonym));
  });

  it('ignores case and punctuation, and gives a wordless text a non-zero vector', () => {
    expect(lexicalVector('Hello, WORLD!')).toEqual(lexicalVector('hello world'));
    const empty = lexicalVector('?!');
    expect(norm(empty)).toBeCloseTo(1, 10);
  });

  it('goes through embedTexts in batches with the count and size checked', async () => {
    const texts = Array.from({ length: 1100 }, (_, i) => `text number ${i}`);
    const vectors = await embedTexts(localEmbedder(64), texts, 'document');
    expect(vectors).toHaveLength(1100);
    expect(vectors[1099]).toEqual(lexicalVector('text number 1099', 64));
  });

  it('embedTexts refuses an answer of the wrong size', async () => {
    const short = { ...localEmbedder(16), embed: async () => [[1, 0]] };
    await expect(embedTexts(short, ['a'], 'query')).rejects.toThrow(/not 16 finite numbers/);
    const missing = { ...localEmbedder(16), embed: async () => [] };
    await expect(embedTexts(missing, ['a'], 'query')).rejects.toThrow(/0 vectors for 1 texts/);
  });
});
