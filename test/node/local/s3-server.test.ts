// The local S3 driven by the client the Worker uses (aws4fetch): what it signs must work.
// The ways of bending a signed request are in s3-server-failures.test.ts.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../../local/s3/server.ts';
import {
  ADMIN,
  admin,
  BUCKET,
  objectUrl,
  presign,
  REGION,
  statusAndCode,
  tag,
  tags,
  useLocalS3,
} from './s3-harness.ts';

const s3 = useLocalS3();
const url = (key: string, query = '') => objectUrl(s3().endpoint, key, query);
const listUrl = (query: string) => `${s3().endpoint}/${BUCKET}?list-type=2&${query}`;

describe('header-signed requests (aws4fetch client.fetch)', () => {
  it('round-trips put, head, get, list and delete for a UTF-8 key', async () => {
    const key = 'tenants/a/docs/ünïcode + spaces (1).txt';
    const put = await admin.fetch(url(key), {
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect([put.status, put.headers.get('etag')]).toEqual([200, '"5d41402abc4b2a76b9719d911017c592"']);

    const head = await admin.fetch(url(key), { method: 'HEAD' });
    const headFields = [head.status, head.headers.get('content-length'), head.headers.get('content-type')];
    expect(headFields).toEqual([200, '5', 'text/plain']);
    const get = await admin.fetch(url(key));
    expect([get.status, await get.text()]).toEqual([200, 'hello']);
    const list = await admin.fetch(listUrl(`prefix=${encodeURIComponent('tenants/a/docs/')}`));
    expect(tags(await list.text(), 'Key')).toEqual([key]);

    expect((await admin.fetch(url(key), { method: 'DELETE' })).status).toBe(204);
    expect((await admin.fetch(url(key), { method: 'DELETE' })).status).toBe(204);
    expect(await statusAndCode(await admin.fetch(url(key)))).toEqual([404, 'NoSuchKey']);
  });

  it('paginates ListObjectsV2 in key order with continuation tokens', async () => {
    for (const key of ['page/e', 'page/a', 'page/c', 'page/b', 'page/d']) {
      await admin.fetch(url(key), { method: 'PUT', body: key });
    }
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const continuation = token ? `&continuation-token=${encodeURIComponent(token)}` : '';
      const xml = await (await admin.fetch(listUrl(`prefix=page%2F&max-keys=2${continuation}`))).text();
      pages.push(tags(xml, 'Key'));
      expect(tag(xml, 'KeyCount')).toBe(String(pages.at(-1)?.length));
      token = tag(xml, 'NextContinuationToken');
      expect(tag(xml, 'IsTruncated')).toBe(String(token !== undefined));
    } while (token);
    expect(pages).toEqual([['page/a', 'page/b'], ['page/c', 'page/d'], ['page/e']]);
    const after = await (await admin.fetch(listUrl('prefix=page%2F&start-after=page%2Fc'))).text();
    expect(tags(after, 'Key')).toEqual(['page/d', 'page/e']);
  });
});

describe('presigned URLs (aws4fetch client.sign with signQuery)', () => {
  it('uploads with the signed content-type and length, then downloads with overridden headers', async () => {
    const key = 'tenants/a/uploads/report.pdf';
    const headers = { 'content-type': 'application/pdf', 'content-length': '5' };
    const upload = await presign('PUT', url(key), { headers });
    const put = await fetch(upload, { method: 'PUT', body: '%PDF-', headers: { 'content-type': 'application/pdf' } });
    expect(put.status).toBe(200);

    // aws4fetch writes the space as '+' in the URL but signs it as %20 (S3 accepts both).
    const disposition = 'attachment; filename="annual report.pdf"';
    const download = await presign('GET', url(key, `?response-content-disposition=${encodeURIComponent(disposition)}`));
    const get = await fetch(download);
    const fields = [get.status, get.headers.get('content-disposition'), get.headers.get('content-type')];
    expect(fields).toEqual([200, disposition, 'application/pdf']);
    expect(await get.text()).toBe('%PDF-');
  });
});

describe('persistence', () => {
  it('keeps objects in dataDir across restarts, in files named by hash, not by key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-s3-'));
    const start = () => startLocalS3({ bucket: BUCKET, region: REGION, credentials: [ADMIN], dataDir });
    // One segment on the wire (new URL would collapse real dot segments), '../../escape.txt' once decoded.
    const escaping = (server: LocalS3) => `${server.endpoint}/${BUCKET}/${encodeURIComponent('../../escape.txt')}`;
    const first = await start();
    expect((await admin.fetch(escaping(first), { method: 'PUT', body: 'kept' })).status).toBe(200);
    await first.close();
    const second = await start();
    try {
      expect(await (await admin.fetch(escaping(second))).text()).toBe('kept');
      expect((await readdir(dataDir)).every((name) => /^[0-9a-f]{64}\./.test(name))).toBe(true);
      expect(second.requests()).toBe(1);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
