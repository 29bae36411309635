// Upsert batches stay within Pinecone's two limits, whichever binds first.
import { describe, expect, it } from 'vitest';
import { MAX_UPSERT_BYTES, upsertBatches } from '../../../src/stores/vector-batches.ts';

const record = (id: number, dimension: number) => ({ id: `d#${id}`, values: Array(dimension).fill(0.123456789) });

describe('upsert batches', () => {
  it('cut at 1,000 records when the records are small', () => {
    const batches = upsertBatches(Array.from({ length: 2500 }, (_, i) => record(i, 2)));
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
  });

  it('cut by JSON size when the records are large, keeping order and every record', () => {
    const records = Array.from({ length: 900 }, (_, i) => record(i, 1536));
    const batches = upsertBatches(records);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches)
      expect(JSON.stringify({ vectors: batch }).length).toBeLessThanOrEqual(MAX_UPSERT_BYTES);
    expect(batches.flat()).toEqual(records);
  });

  it('refuses a single record over the limit rather than sending it', () => {
    expect(() => upsertBatches([record(0, 200_000)])).toThrow(/over the upsert limit/);
  });
});
