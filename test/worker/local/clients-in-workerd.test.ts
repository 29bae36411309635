// The real aws4fetch and Pinecone clients, running inside workerd as the Worker does, against the
// local S3 and Pinecone endpoints (their full fidelity suites run in Node: test/node/local/).
import { describe, expect, it } from 'vitest';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { bucketUrl, s3Client } from '../../../src/stores/s3-client.ts';
import { testSettings } from '../helpers/settings.ts';

const LOCAL_DIMENSION = 384;

describe('aws4fetch from workerd against the local S3 endpoint', () => {
  const settings = testSettings();
  const client = s3Client(settings);
  const url = `${bucketUrl(settings)}/workerd-probe/${crypto.randomUUID()}.txt`;

  it('stores and reads an object with header-signed requests', async () => {
    const put = await client.fetch(url, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    const get = await client.fetch(url);
    expect(await get.text()).toBe('hello');
  });

  it('accepts a presigned GET and refuses it tampered, replayed as DELETE, or expired', async () => {
    await client.fetch(url, { method: 'PUT', body: 'presigned' });
    const signed = await client.sign(`${url}?X-Amz-Expires=60`, { method: 'GET', aws: { signQuery: true } });
    expect(await (await fetch(signed.url)).text()).toBe('presigned');

    const tampered = signed.url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    const replayed = await fetch(signed.url, { method: 'DELETE' });
    const expired = await client.sign(`${url}?X-Amz-Expires=1`, {
      method: 'GET',
      aws: { signQuery: true, datetime: '20200101T000000Z' },
    });
    for (const res of [await fetch(tampered), replayed, await fetch(expired.url)]) {
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/<Code>(SignatureDoesNotMatch|AccessDenied)<\/Code>/);
    }
  });
});

describe('@pinecone-database/pinecone from workerd against the local data plane', () => {
  it('upserts and queries within one namespace only', async () => {
    const index = pineconeIndex(testSettings());
    const vector = (hot: number) => Array.from({ length: LOCAL_DIMENSION }, (_, i) => (i === hot ? 1 : 0.01));
    const a = index.namespace(`workerd-a-${crypto.randomUUID()}`);
    const b = index.namespace(`workerd-b-${crypto.randomUUID()}`);
    await a.upsert({ records: [{ id: 'doc#0', values: vector(1) }] });
    await b.upsert({
      records: [
        { id: 'doc#0', values: vector(1) },
        { id: 'other#0', values: vector(2) },
      ],
    });
    const result = await a.query({ vector: vector(1), topK: 10 });
    expect(result.matches.map((m) => m.id)).toEqual(['doc#0']);
    expect(result.matches[0]?.score).toBeCloseTo(1, 5);
  });
});
