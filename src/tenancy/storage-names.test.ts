// The one place tenant-derived names are made: their shapes, their refusals, and, by expected
// type errors, that a hand-made string is not accepted where a built name is expected.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../domain/api-error.ts';
import { type TenantContext, toTenantId } from './context.ts';
import {
  type CacheKey,
  cacheKey,
  documentObjectKey,
  documentObjectPrefix,
  listedCacheKey,
  listedObjectKey,
  type ObjectKey,
  parseVectorId,
  sanitiseFilename,
  storedObjectKey,
  type TenantScoped,
  tenantCachePrefix,
  tenantNamespace,
  tenantObjectPrefix,
  type VectorNamespace,
  vectorId,
} from './storage-names.ts';

const tenant = (id: string): TenantScoped => ({ tenantId: toTenantId(id) });
// Ids that agree on all but the last characters: "tenant 1" and "tenant 10" of docs/threat-model.md T25.
const one = tenant('00000000-0000-4000-8000-000000000001');
const ten = tenant('00000000-0000-4000-8000-000000000010');
const document = { projectId: 'aaaaaaaa-0000-4000-8000-000000000001', id: 'dddddddd-0000-4000-8000-000000000001' };

describe('storage names', () => {
  it('builds every name from the context', () => {
    expect(cacheKey(one, 'api-key', ['k1'])).toBe('t:00000000-0000-4000-8000-000000000001:api-key:k1');
    expect(tenantNamespace(one)).toBe('tenant-00000000-0000-4000-8000-000000000001');
    expect(documentObjectKey(one, document, 'report.pdf')).toBe(
      `tenants/${one.tenantId}/projects/${document.projectId}/documents/${document.id}/report.pdf`,
    );
    expect(vectorId(document.id, 7)).toBe(`${document.id}#7`);
    expect(parseVectorId(`${document.id}#7`)).toEqual({ documentId: document.id, chunkIndex: 7 });
    expect(parseVectorId(`${document.id}#07`)).toBeUndefined();
  });

  it('ends every tenant prefix with a separator, so one tenant never lists another', () => {
    for (const [a, b] of [
      [one, ten],
      [ten, one],
    ] as const) {
      expect(cacheKey(b, 'retrieval', ['x']).startsWith(tenantCachePrefix(a))).toBe(false);
      expect(documentObjectKey(b, document, 'x.txt').startsWith(tenantObjectPrefix(a))).toBe(false);
      expect(listedCacheKey(a, cacheKey(b, 'retrieval', ['x']))).toBeUndefined();
    }
    expect(tenantCachePrefix(one).endsWith(':')).toBe(true);
    expect(tenantObjectPrefix(one).endsWith('/')).toBe(true);
  });

  it('refuses without a valid tenant context, whatever the types said', () => {
    const forged = { tenantId: 'not-a-uuid' } as unknown as TenantContext;
    for (const ctx of [undefined, null, {}, forged, { tenantId: '' }] as unknown as TenantScoped[]) {
      expect(() => tenantNamespace(ctx)).toThrow(/tenant context/);
      expect(() => tenantCachePrefix(ctx)).toThrow(/tenant context/);
      expect(() => tenantObjectPrefix(ctx)).toThrow(/tenant context/);
    }
    expect(() => cacheKey(one, 'retrieval', ['a:b'])).toThrow();
    expect(() => documentObjectPrefix(one, { ...document, projectId: '../x' })).toThrow();
  });

  it('makes a hand-made string a type error', () => {
    // @ts-expect-error a template string is not a CacheKey
    const key: CacheKey = `t:${one.tenantId}:api-key:x`;
    // @ts-expect-error nor a namespace
    const namespace: VectorNamespace = 'tenant-x';
    // @ts-expect-error nor an object key
    const object: ObjectKey = 'tenants/x/y';
    expect([key, namespace, object]).toHaveLength(3);
  });

  it('accepts ordinary file names, NFC-normalised', () => {
    for (const name of ['report.pdf', 'Q&A (v2) [final].docx', 'Résumé 2024.pdf', '日本語.txt', "Tom's notes.md"]) {
      expect(sanitiseFilename(name)).toBe(name.normalize('NFC'));
    }
    expect(sanitiseFilename('Cafe\u0301.txt')).toBe('Café.txt');
  });

  it('rejects traversal and encoding tricks with a 400', () => {
    const tricks = [
      '../x',
      '..',
      '.',
      '%2e%2e',
      '..%2f',
      'a\\b',
      'a\u0000b',
      '/etc/passwd',
      'a/b',
      '.env',
      'x.',
      ' x',
      'a..b',
      `tenants/${ten.tenantId}/x`,
      'x'.repeat(256),
      'é'.repeat(128),
      '',
      'a\u202eb',
      '\uff0e\uff0e',
      'a\u2215b',
      'a:b',
      'a%00',
      '\u2024\u2024',
    ];
    for (const name of tricks) {
      const error = (() => {
        try {
          sanitiseFilename(name);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(name)).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('bad_request');
    }
    expect(() => sanitiseFilename(42)).toThrow(ApiError);
  });

  it('accepts a stored or listed key only if this module would have made it', () => {
    const key = documentObjectKey(one, document, 'a.txt');
    expect(storedObjectKey(one, document, key)).toBe(key);
    expect(storedObjectKey(ten, document, key)).toBeUndefined();
    expect(storedObjectKey(one, document, `${documentObjectPrefix(one, document)}../a.txt`)).toBeUndefined();
    expect(listedObjectKey(one, key)).toBe(key);
    expect(listedObjectKey(one, `${tenantObjectPrefix(one)}x/../../${ten.tenantId}/y`)).toBeUndefined();
    expect(listedObjectKey(one, `${tenantObjectPrefix(one)}x//y`)).toBeUndefined();
    expect(listedObjectKey(ten, key)).toBeUndefined();
  });
});
