// docs/threat-model.md T30–T32 through aws4fetch against the local S3 endpoint, which verifies every SigV4
// signature: keys only under the tenant prefix, presigned URLs that expire and do exactly one
// thing, and nothing signed without a document row found under the tenant's RLS context.
import { beforeAll, describe, expect, it } from 'vitest';
import { findDocumentById } from '../../../src/db/repositories/document-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { FoundDocument } from '../../../src/stores/object-presigning.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { documentObjectKey, documentObjectPrefix, tenantObjectPrefix } from '../../../src/tenancy/storage-names.ts';
import { admin, createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';

const settings = testSettings();
let a: TenantFixture;
let b: TenantFixture;
let docA: FoundDocument;
let docB: FoundDocument;

/** The document row as request code gets it: found under the tenant's RLS context. */
async function found(fixture: TenantFixture, documentId = fixture.documentId): Promise<FoundDocument | undefined> {
  const [rows] = await withTenant(fixture.ctx, settings, (s) => [findDocumentById(s, documentId)]);
  return rows[0];
}

const minutesAgo = (minutes: number) => () => new Date(Date.now() - minutes * 60_000);
const put = (url: string, body: string, headers: Record<string, string>) =>
  fetch(url, { method: 'PUT', body, headers });
const errorOf = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(1), createTenant(1)]);
  docA = (await found(a)) as FoundDocument;
  docB = (await found(b)) as FoundDocument;
});

describe('tenant objects (S3 API)', () => {
  it('uploads through a presigned PUT inside the tenant prefix and reads it back server-side', async () => {
    const store = tenantObjects(a.ctx, settings);
    const upload = await store.presignUpload(docA, {
      filename: 'notes.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    const url = new URL(upload.url);
    expect(decodeURIComponent(url.pathname)).toBe(
      `/${settings.S3_BUCKET}/${documentObjectKey(a.ctx, docA, 'notes.txt')}`,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect((await put(upload.url, 'hello', upload.headers)).status).toBe(200);
    expect(await (await store.getObject(upload.objectKey))?.text()).toBe('hello');
    expect((await store.listObjects()).keys).toContain(upload.objectKey);
  });

  it('hasObject answers by a signed HEAD: true for the upload, false for a key nothing was put at', async () => {
    const store = tenantObjects(a.ctx, settings);
    const upload = await store.presignUpload(docA, {
      filename: 'there.txt',
      contentType: 'text/plain',
      contentLength: 2,
    });
    expect(await store.hasObject(upload.objectKey)).toBe(false);
    expect((await put(upload.url, 'hi', upload.headers)).status).toBe(200);
    expect(await store.hasObject(upload.objectKey)).toBe(true);
    await expect(store.hasObject(documentObjectKey(b.ctx, docB, 'there.txt'))).rejects.toThrow(/outside/);
  });

  it('31: a different type, a larger or smaller body, or a replay as another method is refused', async () => {
    const store = tenantObjects(a.ctx, settings);
    const upload = await store.presignUpload(docA, {
      filename: 'exact.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    const refusals = [
      await put(upload.url, 'hello', { ...upload.headers, 'content-type': 'text/html' }),
      await put(upload.url, 'hello, a much larger body', { 'content-type': 'text/plain' }),
      await put(upload.url, 'hi', { 'content-type': 'text/plain' }),
      await fetch(upload.url, { method: 'DELETE' }),
      await fetch(upload.url),
    ];
    for (const response of refusals) expect(response.status).toBe(403);
    expect(await store.getObject(upload.objectKey)).toBeUndefined();
  });

  it('31: URLs expire — PUT after 5 minutes, GET after 15 — and a GET replayed as PUT or DELETE fails', async () => {
    const body = { filename: 'late.txt', contentType: 'text/plain', contentLength: 4 };
    const stale = await tenantObjects(a.ctx, settings, { now: minutesAgo(6) }).presignUpload(docA, body);
    expect((await put(stale.url, 'late', stale.headers)).status).toBe(403);
    const fresh = await tenantObjects(a.ctx, settings).presignUpload(docA, body);
    expect((await put(fresh.url, 'late', fresh.headers)).status).toBe(200);
    await admin()`update documents set object_key = ${fresh.objectKey} where tenant_id = ${a.tenantId} and id = ${a.documentId}`;
    const row = (await found(a)) as FoundDocument;

    const download = await tenantObjects(a.ctx, settings).presignDownload(row);
    expect(new URL(download.url).searchParams.get('X-Amz-Expires')).toBe('900');
    const response = await fetch(download.url);
    expect(await response.text()).toBe('late');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="late.txt"; filename*=UTF-8''late.txt`,
    );
    for (const method of ['PUT', 'DELETE'])
      expect((await fetch(download.url, { method, body: method === 'PUT' ? 'x' : undefined })).status).toBe(403);
    const expired = await tenantObjects(a.ctx, settings, { now: minutesAgo(16) }).presignDownload(row);
    expect((await fetch(expired.url)).status).toBe(403);
    await expect(tenantObjects(a.ctx, settings).presignDownload(row, 901)).rejects.toThrow(/expiry/);
    await expect(
      tenantObjects(a.ctx, settings).presignUpload(docA, { ...body, expiresInSeconds: 301 }),
    ).rejects.toThrow(/expiry/);
  });

  it('30: traversal and encoding tricks are a 400 before anything is signed', async () => {
    const store = tenantObjects(a.ctx, settings);
    const tricks = [
      '../x.txt',
      '%2e%2e/x',
      '..%2fx',
      'a\\..\\b',
      'x\u0000.txt',
      '/x.txt',
      `tenants/${b.tenantId}/x`,
      `../../../${b.tenantId}/projects/x`,
      'n'.repeat(300),
      '.',
      '..',
    ];
    for (const filename of tricks) {
      const error = await errorOf(store.presignUpload(docA, { filename, contentType: 'text/plain', contentLength: 1 }));
      expect(error, JSON.stringify(filename)).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('bad_request');
    }
    for (const bad of [
      { contentType: 'text/plain; x=y' },
      { contentLength: 0 },
      { contentLength: a.ctx.limits.maxUploadBytes + 1 },
    ]) {
      const request = { filename: 'ok.txt', contentType: 'text/plain', contentLength: 1, ...bad };
      expect(await errorOf(store.presignUpload(docA, request))).toMatchObject({ code: 'bad_request' });
    }
  });

  it('32: only a row found under the tenant’s own RLS context can be presigned', async () => {
    expect(await found(a, b.documentId)).toBeUndefined(); // B's document does not exist for A
    const store = tenantObjects(a.ctx, settings);
    const request = { filename: 'x.txt', contentType: 'text/plain', contentLength: 1 };
    expect(await errorOf(store.presignUpload(docB, request))).toMatchObject({ code: 'not_found' });
    expect(await errorOf(store.presignDownload(docB))).toMatchObject({ code: 'not_found' });
    // A row whose stored key points into another tenant is not signed either.
    const tampered = { ...docA, objectKey: documentObjectKey(b.ctx, docB, 'x.txt') };
    expect(await errorOf(store.presignDownload(tampered))).toMatchObject({ code: 'not_found' });
    // @ts-expect-error a hand-made document is not a row the database returned
    await errorOf(store.presignUpload({ id: b.documentId, projectId: b.projectIds[0], tenantId: a.tenantId }, request));
  });

  it('lists page by page, deletes by prefix for erasure, and never reaches another tenant', async () => {
    const store = tenantObjects(b.ctx, settings);
    for (let i = 0; i < 5; i++) {
      const upload = await store.presignUpload(docB, {
        filename: `part ${i}.txt`,
        contentType: 'text/plain',
        contentLength: 1,
      });
      expect((await put(upload.url, `${i}`, upload.headers)).status).toBe(200);
    }
    const prefix = documentObjectPrefix(b.ctx, docB);
    const first = await store.listObjects({ prefix, maxKeys: 2 });
    expect(first.keys).toHaveLength(2);
    const second = await store.listObjects({ prefix, maxKeys: 2, continuationToken: first.nextContinuationToken });
    expect(second.keys).toHaveLength(2);
    expect(second.keys[0]).not.toBe(first.keys[0]);

    await expect(store.listObjects({ prefix: tenantObjectPrefix(a.ctx) })).rejects.toThrow(/outside/);
    await expect(store.getObject(documentObjectKey(a.ctx, docA, 'notes.txt'))).rejects.toThrow(/outside/);
    await expect(store.deleteObject(documentObjectKey(a.ctx, docA, 'notes.txt'))).rejects.toThrow(/outside/);

    const before = (await tenantObjects(a.ctx, settings).listObjects()).keys.length;
    expect(await store.deleteAllObjects()).toBe(5);
    expect(await store.deleteAllObjects()).toBe(0);
    expect((await tenantObjects(a.ctx, settings).listObjects()).keys).toHaveLength(before);
  });
});
