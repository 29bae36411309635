// The local Pinecone driven only through the real @pinecone-database/pinecone v9 client.
import { Errors } from '@pinecone-database/pinecone';
import { describe, expect, it } from 'vitest';
import { rejection, useLocalPinecone } from './pinecone-harness.ts';

const start = useLocalPinecone();

// Chosen so that each metric ranks the three records differently.
const records = [
  { id: 'a', values: [2, 0, 0], metadata: { genre: 'drama', year: 2019 } },
  { id: 'b', values: [1, 1, 0], metadata: { genre: ['comedy', 'documentary'], year: 2020 } },
  { id: 'c', values: [0, 3, 1], metadata: { genre: 'comedy', year: 2021 } },
];
const q = [1, 2, 0];

describe('local pinecone: queries', () => {
  it.each([
    // cosine: q·r / (|q| |r|), with |q| = √5
    { metric: 'cosine', ids: ['b', 'c', 'a'], scores: [3 / Math.sqrt(10), 6 / Math.sqrt(50), 1 / Math.sqrt(5)] },
    { metric: 'dotproduct', ids: ['c', 'b', 'a'], scores: [6, 3, 2] },
    // euclidean: the squared distance, closest (smallest) first
    { metric: 'euclidean', ids: ['b', 'c', 'a'], scores: [1, 3, 5] },
  ] as const)('scores $metric against a hand computation, best first', async ({ metric, ids, scores }) => {
    const { index } = await start({ metric });
    await index.upsert({ records });
    const { matches } = await index.query({ vector: q, topK: 3 });
    expect(matches.map((match) => match.id)).toEqual(ids);
    for (const [i, match] of matches.entries()) expect(match.score).toBeCloseTo(scores[i] ?? Number.NaN, 10);
  });

  it('honours topK, query by id, includeValues and includeMetadata', async () => {
    const { index } = await start();
    await index.upsert({ records });
    const bare = await index.query({ vector: q, topK: 1 });
    expect(bare.matches).toEqual([{ id: 'b', score: expect.any(Number), values: [] }]);
    const full = await index.query({ id: 'c', topK: 2, includeValues: true, includeMetadata: true });
    expect(full.matches[0]).toEqual({
      id: 'c',
      score: expect.closeTo(1, 10),
      values: [0, 3, 1],
      metadata: records[2]?.metadata,
    });
    expect(full.matches).toHaveLength(2);
    expect(full.namespace).toBe('__default__');
    expect(full.usage?.readUnits).toBeGreaterThan(0);
    expect((await index.query({ id: 'missing', topK: 3 })).matches).toEqual([]);
  });

  it('filters by metadata, list values taking on each of their values', async () => {
    const { index } = await start();
    await index.upsert({ records });
    const ids = async (filter: object) => (await index.query({ vector: q, topK: 3, filter })).matches.map((m) => m.id);
    expect(await ids({ genre: 'comedy' })).toEqual(['b', 'c']);
    expect(await ids({ genre: { $in: ['documentary'] } })).toEqual(['b']);
    expect(await ids({ $or: [{ genre: 'drama' }, { year: { $gte: 2021 } }] })).toEqual(['c', 'a']);
    expect(await ids({ genre: { $nin: ['comedy'] }, year: { $lt: 2020 } })).toEqual(['a']);
  });

  it('keeps namespaces isolated: A never sees B', async () => {
    const { index } = await start();
    await index.upsert({ records, namespace: 'tenant-a' });
    await index.namespace('tenant-b').upsert({ records: [{ id: 'a', values: [1, 2, 0], metadata: { owner: 'b' } }] });
    const a = await index.namespace('tenant-a').query({ vector: q, topK: 10, includeMetadata: true });
    expect(a.matches.map((m) => m.id)).toEqual(['b', 'c', 'a']);
    expect(a.matches.some((m) => m.metadata?.owner === 'b')).toBe(false);
    const b = await index.query({ vector: q, topK: 10, namespace: 'tenant-b' });
    expect(b.matches.map((m) => [m.id, m.score])).toEqual([['a', expect.closeTo(1, 10)]]);
    expect((await index.query({ vector: q, topK: 10 })).matches).toEqual([]);
    expect((await index.fetch({ ids: ['b'], namespace: 'tenant-b' })).records).toEqual({});
  });
});

describe('local pinecone: records', () => {
  it('fetches stored values and metadata, leaving out unknown ids', async () => {
    const { index } = await start();
    await index.upsert({ records, namespace: 'docs' });
    const fetched = await index.namespace('docs').fetch({ ids: ['a', 'c', 'nope'] });
    expect(fetched.namespace).toBe('docs');
    expect(fetched.records).toEqual({ a: records[0], c: records[2] });
  });

  it('upserting an existing id replaces the whole record', async () => {
    const { index } = await start();
    await index.upsert({ records });
    await index.upsert({ records: [{ id: 'a', values: [0, 0, 5] }] });
    expect((await index.fetch({ ids: ['a'] })).records).toEqual({ a: { id: 'a', values: [0, 0, 5] } });
  });

  it('deletes by ids, by filter and all', async () => {
    const { index } = await start();
    await index.upsert({ records: [...records, { id: 'd', values: [1, 1, 1], metadata: { year: 2022 } }] });
    await index.deleteOne({ id: 'a' });
    await index.deleteMany({ ids: ['b', 'unknown'] });
    expect(Object.keys((await index.fetch({ ids: ['a', 'b', 'c', 'd'] })).records)).toEqual(['c', 'd']);
    await index.deleteMany({ filter: { year: { $gte: 2022 } } });
    expect(Object.keys((await index.fetch({ ids: ['c', 'd'] })).records)).toEqual(['c']);
    await index.deleteAll();
    expect((await index.describeIndexStats()).totalRecordCount).toBe(0);
  });

  it('lists ids in sorted pages, by prefix (v9 has listPaginated, no list)', async () => {
    const { index } = await start();
    const ids = ['doc1#2', 'doc1#0', 'doc2#0', 'doc1#1', 'other'];
    await index.upsert({ records: ids.map((id, i) => ({ id, values: [1, i, 0] })) });
    const first = await index.listPaginated({ prefix: 'doc1#', limit: 2 });
    expect(first.vectors?.map((v) => v.id)).toEqual(['doc1#0', 'doc1#1']);
    expect(first.namespace).toBe('__default__');
    const second = await index.listPaginated({ prefix: 'doc1#', limit: 2, paginationToken: first.pagination?.next });
    expect(second.vectors?.map((v) => v.id)).toEqual(['doc1#2']);
    expect(second.pagination).toBeUndefined();
    expect((await index.listPaginated()).vectors?.map((v) => v.id)).toEqual([...ids].sort());
  });
});

describe('local pinecone: namespaces and stats', () => {
  it('lists, describes and deletes namespaces', async () => {
    const { index } = await start();
    for (const [namespace, count] of [
      ['t1', 1],
      ['t2', 2],
      ['t3', 3],
    ] as const) {
      await index.upsert({ records: records.slice(0, count), namespace });
    }
    const first = await index.listNamespaces({ limit: 2 });
    expect(first.namespaces?.map((ns) => [ns.name, ns.recordCount])).toEqual([
      ['t1', 1],
      ['t2', 2],
    ]);
    expect(first.totalCount).toBe(3);
    const rest = await index.listNamespaces({ limit: 2, paginationToken: first.pagination?.next });
    expect(rest.namespaces?.map((ns) => ns.name)).toEqual(['t3']);
    expect(await index.describeNamespace('t2')).toEqual({ name: 't2', recordCount: 2 });
    await index.deleteNamespace('t2');
    expect(await rejection(index.describeNamespace('t2'))).toBeInstanceOf(Errors.PineconeNotFoundError);
    expect((await index.listNamespaces()).namespaces?.map((ns) => ns.name)).toEqual(['t1', 't3']);
  });

  it('describes index stats per namespace', async () => {
    const { index } = await start({ dimension: 3, metric: 'dotproduct' });
    await index.upsert({ records, namespace: 'x' });
    await index.upsert({ records: records.slice(0, 1) });
    expect(await index.describeIndexStats()).toEqual({
      namespaces: { __default__: { recordCount: 1 }, x: { recordCount: 3 } },
      dimension: 3,
      indexFullness: 0,
      totalRecordCount: 4,
    });
  });
});
