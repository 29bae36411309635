import { describe, expect, it } from 'vitest';
import { PineconeApiError } from '../../../local/pinecone/errors.ts';
import { compileFilter, type Metadata } from '../../../local/pinecone/filter.ts';

const drama: Metadata = { genre: 'drama', year: 2020, rating: 4.5, streaming: true };
const multi: Metadata = { genre: ['comedy', 'documentary'], year: 2019 };
const bare: Metadata = { year: 2021 };

const matches = (filter: unknown, metadata: Metadata | undefined) => compileFilter(filter)(metadata);

function rejects(filter: unknown): PineconeApiError {
  try {
    compileFilter(filter);
  } catch (error) {
    if (error instanceof PineconeApiError) return error;
    throw error;
  }
  throw new Error(`filter was accepted: ${JSON.stringify(filter)}`);
}

describe('pinecone metadata filter', () => {
  it('treats a bare value as $eq, matching type strictly', () => {
    expect(matches({ genre: 'drama' }, drama)).toBe(true);
    expect(matches({ genre: { $eq: 'drama' } }, drama)).toBe(true);
    expect(matches({ genre: 'comedy' }, drama)).toBe(false);
    expect(matches({ year: '2020' }, drama)).toBe(false);
    expect(matches({ streaming: true }, drama)).toBe(true);
  });

  it('compares numbers with $gt $gte $lt $lte, and never strings', () => {
    expect(matches({ year: { $gt: 2019 } }, drama)).toBe(true);
    expect(matches({ year: { $gt: 2020 } }, drama)).toBe(false);
    expect(matches({ year: { $gte: 2020 } }, drama)).toBe(true);
    expect(matches({ rating: { $lt: 4.5 } }, drama)).toBe(false);
    expect(matches({ rating: { $lte: 4.5 } }, drama)).toBe(true);
    expect(matches({ year: { $gte: 2019, $lt: 2021 } }, drama)).toBe(true);
    expect(matches({ genre: { $gt: 1 } }, drama)).toBe(false);
  });

  it('supports $in and $nin on scalars', () => {
    expect(matches({ genre: { $in: ['comedy', 'drama'] } }, drama)).toBe(true);
    expect(matches({ genre: { $in: ['comedy'] } }, drama)).toBe(false);
    expect(matches({ year: { $in: [2019, 2020] } }, drama)).toBe(true);
    expect(matches({ genre: { $nin: ['comedy'] } }, drama)).toBe(true);
    expect(matches({ genre: { $nin: ['drama'] } }, drama)).toBe(false);
  });

  it('lets a list-valued field take on each of its values (Pinecone docs example)', () => {
    expect(matches({ genre: 'comedy' }, multi)).toBe(true);
    expect(matches({ genre: { $eq: 'documentary' } }, multi)).toBe(true);
    expect(matches({ genre: { $in: ['documentary', 'action'] } }, multi)).toBe(true);
    expect(matches({ $and: [{ genre: 'comedy' }, { genre: 'documentary' }] }, multi)).toBe(true);
    expect(matches({ $and: [{ genre: 'comedy' }, { genre: 'drama' }] }, multi)).toBe(false);
    expect(matches({ genre: { $ne: 'comedy' } }, multi)).toBe(false);
    expect(matches({ genre: { $ne: 'drama' } }, multi)).toBe(true);
    expect(matches({ genre: { $nin: ['drama', 'comedy'] } }, multi)).toBe(false);
    expect(matches({ genre: { $nin: ['drama', 'action'] } }, multi)).toBe(true);
  });

  it('never matches a missing field except with $exists: false', () => {
    expect(matches({ genre: { $ne: 'drama' } }, bare)).toBe(false);
    expect(matches({ genre: { $nin: ['drama'] } }, bare)).toBe(false);
    expect(matches({ genre: { $exists: false } }, bare)).toBe(true);
    expect(matches({ genre: { $exists: true } }, bare)).toBe(false);
    expect(matches({ genre: { $exists: true } }, drama)).toBe(true);
    expect(matches({ genre: { $exists: false } }, undefined)).toBe(true);
    expect(matches({ genre: 'drama' }, undefined)).toBe(false);
  });

  it('combines clauses with $and, $or and implicit AND across fields', () => {
    expect(matches({ genre: 'drama', year: 2020 }, drama)).toBe(true);
    expect(matches({ genre: 'drama', year: 2021 }, drama)).toBe(false);
    expect(matches({ $or: [{ genre: 'comedy' }, { year: { $gte: 2020 } }] }, drama)).toBe(true);
    expect(matches({ $or: [{ genre: 'comedy' }, { year: { $lt: 2020 } }] }, drama)).toBe(false);
    const nested = { $and: [{ $or: [{ genre: 'comedy' }, { genre: 'drama' }] }, { streaming: { $ne: false } }] };
    expect(matches(nested, drama)).toBe(true);
  });

  it('rejects an unknown operator with a 400, naming it', () => {
    const error = rejects({ genre: { $regex: 'dr.*' } });
    expect(error.status).toBe(400);
    expect(error.message).toContain('$regex');
    expect(rejects({ $not: { genre: 'drama' } }).status).toBe(400);
  });

  it('rejects malformed operands with a 400', () => {
    for (const filter of [
      { genre: ['comedy', 'documentary'] },
      { genre: { $eq: ['comedy', 'documentary'] } },
      { genre: { $in: 'comedy' } },
      { year: { $gt: '2019' } },
      { genre: { $exists: 'yes' } },
      { genre: {} },
      { $and: [] },
      { $or: { genre: 'drama' } },
      { genre: { $in: Array.from({ length: 10_001 }, (_, i) => i) } },
      'genre = drama',
    ]) {
      expect(rejects(filter).status, JSON.stringify(filter).slice(0, 60)).toBe(400);
    }
  });
});
