// Every way of bending a request signed by aws4fetch must fail, with S3's own status and code:
// this is what makes the local S3 worth testing presigned URLs against.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  admin,
  BUCKET,
  client,
  objectUrl,
  presign,
  statusAndCode,
  TENANT_A,
  tag,
  useLocalS3,
} from './s3-harness.ts';

const s3 = useLocalS3();
const url = (key: string) => objectUrl(s3().endpoint, key);
const key = 'tenants/a/uploads/report.pdf';
const pdf = { 'content-type': 'application/pdf', 'content-length': '5' };

beforeAll(async () => {
  const put = await admin.fetch(url(key), {
    method: 'PUT',
    body: '%PDF-',
    headers: { 'content-type': 'application/pdf' },
  });
  expect(put.status).toBe(200);
});

describe('header-signed requests', () => {
  it('refuses a wrong secret and an unknown key id', async () => {
    const wrongSecret = client({ ...ADMIN, secretAccessKey: 'not-it' });
    expect(await statusAndCode(await wrongSecret.fetch(url(key)))).toEqual([403, 'SignatureDoesNotMatch']);
    const unknown = client({ accessKeyId: 'nobody', secretAccessKey: 'x' });
    expect(await statusAndCode(await unknown.fetch(url(key)))).toEqual([403, 'InvalidAccessKeyId']);
  });

  it('refuses a scoped key outside its prefix, for objects and for listings', async () => {
    const tenantA = client(TENANT_A);
    expect((await tenantA.fetch(url('tenants/a/mine.txt'), { method: 'PUT', body: 'ok' })).status).toBe(200);
    const put = await tenantA.fetch(url('tenants/b/theirs.txt'), { method: 'PUT', body: 'no' });
    expect(await statusAndCode(put)).toEqual([403, 'AccessDenied']);
    expect(await statusAndCode(await tenantA.fetch(url('tenants/ab/x')))).toEqual([403, 'AccessDenied']);
    const list = await tenantA.fetch(`${s3().endpoint}/${BUCKET}?list-type=2&prefix=tenants%2F`);
    expect(await statusAndCode(list)).toEqual([403, 'AccessDenied']);
  });

  it('refuses an unknown bucket, a missing object and a request with no signature at all', async () => {
    expect(await statusAndCode(await admin.fetch(`${s3().endpoint}/other-bucket/x`))).toEqual([404, 'NoSuchBucket']);
    expect(await statusAndCode(await admin.fetch(url('tenants/a/nothing-here')))).toEqual([404, 'NoSuchKey']);
    expect(await statusAndCode(await fetch(url(key)))).toEqual([403, 'AccessDenied']);
  });
});

describe('presigned URLs', () => {
  it('refuses a different content-type, or a larger body, than was signed', async () => {
    const upload = await presign('PUT', url(key), { headers: pdf });
    const html = await fetch(upload, { method: 'PUT', body: '%PDF-', headers: { 'content-type': 'text/html' } });
    expect(await statusAndCode(html)).toEqual([403, 'SignatureDoesNotMatch']);
    const larger = await fetch(upload, {
      method: 'PUT',
      body: '%PDF-and-more',
      headers: { 'content-type': 'application/pdf' },
    });
    expect(await statusAndCode(larger)).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses a GET URL replayed as PUT or DELETE, and the object is untouched', async () => {
    const download = await presign('GET', url(key));
    const put = await fetch(download, { method: 'PUT', body: 'overwritten' });
    expect(await statusAndCode(put)).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await statusAndCode(await fetch(download, { method: 'DELETE' }))).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await (await fetch(download)).text()).toBe('%PDF-');
  });

  it('refuses a tampered signature and a tampered path', async () => {
    const badSignature = new URL(await presign('GET', url(key)));
    const signature = `${badSignature.searchParams.get('X-Amz-Signature')}`;
    badSignature.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    expect(await statusAndCode(await fetch(badSignature))).toEqual([403, 'SignatureDoesNotMatch']);

    const badPath = new URL(await presign('GET', url(key)));
    badPath.pathname = badPath.pathname.replace('/tenants/a/', '/tenants/b/');
    expect(await statusAndCode(await fetch(badPath))).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses an expired URL', async () => {
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString().replace(/[:-]|\.\d{3}/g, '');
    const response = await fetch(await presign('GET', url(key), { expires: 60, datetime: twoMinutesAgo }));
    const xml = await response.text();
    expect([response.status, tag(xml, 'Code'), tag(xml, 'Message')]).toEqual([
      403,
      'AccessDenied',
      'Request has expired',
    ]);
  });

  it('refuses an expiry beyond seven days', async () => {
    const response = await fetch(await presign('GET', url(key), { expires: 604_801 }));
    expect(await statusAndCode(response)).toEqual([400, 'AuthorizationQueryParametersError']);
  });
});
