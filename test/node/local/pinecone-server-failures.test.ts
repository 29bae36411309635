// How the local Pinecone fails, seen as the real v9 client's typed errors; and its persistence.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors } from '@pinecone-database/pinecone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPinecone } from '../../../local/pinecone/server.ts';
import { indexAt, rejection, useLocalPinecone } from './pinecone-harness.ts';

const start = useLocalPinecone();
const one = [{ id: 'a', values: [1, 0, 0] }];

describe('local pinecone: failures', () => {
  it('rejects a wrong API key with PineconeAuthorizationError, storing nothing', async () => {
    const { server, index } = await start();
    const error = await rejection(indexAt(server.host, 'wrong-key').upsert({ records: one }));
    expect(error).toBeInstanceOf(Errors.PineconeAuthorizationError);
    expect(error.name).toBe('PineconeAuthorizationError');
    expect((await index.describeIndexStats()).totalRecordCount).toBe(0);
  });

  it('rejects a vector of the wrong dimension with PineconeBadRequestError', async () => {
    const { index } = await start();
    const upsert = await rejection(index.upsert({ records: [{ id: 'a', values: [1, 0] }] }));
    expect(upsert).toBeInstanceOf(Errors.PineconeBadRequestError);
    expect(upsert.message).toMatch(/dimension 2 does not match the dimension of the index 3/);
    const query = await rejection(index.query({ vector: [1, 0, 0, 0], topK: 1 }));
    expect(query).toBeInstanceOf(Errors.PineconeBadRequestError);
  });

  it('answers PineconeNotFoundError for an unknown namespace', async () => {
    const { index } = await start();
    await index.upsert({ records: one, namespace: 'known' });
    expect(await rejection(index.describeNamespace('unknown'))).toBeInstanceOf(Errors.PineconeNotFoundError);
    expect(await rejection(index.deleteNamespace('unknown'))).toBeInstanceOf(Errors.PineconeNotFoundError);
    // as serverless does: deleting from a namespace that holds nothing is a 404, not a no-op
    expect(await rejection(index.namespace('unknown').deleteAll())).toBeInstanceOf(Errors.PineconeNotFoundError);
  });

  it('rejects an unknown filter operator with PineconeBadRequestError', async () => {
    const { index } = await start();
    const error = await rejection(index.query({ vector: [1, 0, 0], topK: 1, filter: { genre: { $regex: 'x' } } }));
    expect(error).toBeInstanceOf(Errors.PineconeBadRequestError);
    expect(error.message).toContain('$regex');
  });

  it('enforces the upsert limits: 1000 records and 2 MB per request', async () => {
    const { index } = await start();
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: `v${i}`, values: [1, i, 0] }));
    expect(await rejection(index.upsert({ records: many }))).toBeInstanceOf(Errors.PineconeBadRequestError);
    const note = 'x'.repeat(30_000); // under the 40 KB per-record metadata limit, 3 MB in all
    const large = Array.from({ length: 100 }, (_, i) => ({ id: `v${i}`, values: [1, i, 0], metadata: { note } }));
    const error = await rejection(index.upsert({ records: large }));
    expect(error).toBeInstanceOf(Errors.PineconeBadRequestError);
    expect(error.message).toMatch(/2 MB/);
    await index.upsert({ records: many.slice(0, 1000) });
    expect((await index.describeIndexStats()).totalRecordCount).toBe(1000);
  });

  it('refuses filtered index stats as serverless does', async () => {
    const { index } = await start();
    const error = await rejection(index.describeIndexStats({ filter: { genre: 'drama' } }));
    expect(error).toBeInstanceOf(Errors.PineconeBadRequestError);
  });

  it('names the endpoints it does not serve (PineconeMethodNotAllowedError, never retried)', async () => {
    const { server, index } = await start();
    const error = await rejection(index.update({ id: 'a', metadata: { genre: 'drama' } }));
    expect(error).toBeInstanceOf(Errors.PineconeMethodNotAllowedError);
    expect(error.message).toContain('local Pinecone does not serve POST /vectors/update');
    expect(server.requests()).toBe(1);
  });

  it('counts every request it receives', async () => {
    const { server, index } = await start();
    await index.upsert({ records: one });
    await index.query({ vector: [1, 0, 0], topK: 1 });
    await rejection(indexAt(server.host, 'wrong-key').describeIndexStats());
    expect(server.requests()).toBe(3);
  });
});

describe('local pinecone: persistence', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-pinecone-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart through its data file, leaving no temporary file behind', async () => {
    const dataFile = join(dir, 'nested', 'index.json');
    const first = await startLocalPinecone({ apiKey: 'k', dimension: 3, metric: 'euclidean', dataFile });
    await indexAt(first.host, 'k').upsert({ records: [{ id: 'a', values: [1, 2, 3], metadata: { n: 1 } }] });
    await first.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['index.json']);
    const second = await startLocalPinecone({ apiKey: 'k', dimension: 3, metric: 'euclidean', dataFile });
    try {
      const fetched = await indexAt(second.host, 'k').fetch({ ids: ['a'] });
      expect(fetched.records).toEqual({ a: { id: 'a', values: [1, 2, 3], metadata: { n: 1 } } });
    } finally {
      await second.close();
    }
    await expect(startLocalPinecone({ apiKey: 'k', dimension: 4, dataFile })).rejects.toThrow(/4-dimension/);
  });
});
