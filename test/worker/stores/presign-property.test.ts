// docs/threat-model.md T30 as a property: 10,000 generated adversarial filenames (seeded, so a failure
// replays). Each is either refused with a 400 before signing, or signed to a URL whose path lies
// inside the tenant's document prefix — and then the SigV4-checking endpoint stores it there,
// while the same signature aimed at tenant B's key is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { findDocumentById } from '../../../src/db/repositories/document-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { FoundDocument } from '../../../src/stores/object-presigning.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { documentObjectPrefix } from '../../../src/tenancy/storage-names.ts';
import { createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';

const RUNS = 10_000;
const SEED = 0x5eed_b01d;
const settings = testSettings();
let a: TenantFixture;
let b: TenantFixture;
let docA: FoundDocument;

/** mulberry32: small, seeded, good enough to pick fragments. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PLAIN = [
  'report',
  'Résumé',
  '日本語',
  'notes',
  'Q&A',
  'v2',
  '(final)',
  '[draft]',
  'a b',
  'x',
  'Cafe\u0301',
  'ﬁle',
  '٣',
];
const EXTENSIONS = ['.pdf', '.txt', '.tar.gz', '', '.md', '.'];
function tricks(other: string): string[] {
  return [
    '../',
    '..',
    '.',
    '/',
    '\\',
    '..\\',
    '%2e%2e',
    '%2E%2e/',
    '..%2f',
    '%2f',
    '%5c',
    '%00',
    '%252e%252e',
    '\u0000',
    '\u0001',
    '\r\n',
    '\t',
    '\u202e',
    '\u200b',
    '\ufeff',
    '\uff0e\uff0e',
    '\uff0f',
    '\u2215',
    '\u2024\u2024',
    '\u2044',
    ':',
    '?',
    '#',
    '%',
    '"',
    '<',
    '>',
    '|',
    '*',
    '`',
    '$',
    '{',
    '}',
    ';',
    ' ',
    '+',
    '~',
    '=',
    "'",
    'tenants/',
    other,
    `tenants/${other}/`,
    '/../../',
    '.env',
    '~/',
    'C:\\',
    '\\\\server\\',
    'file://',
    'http://x/',
    '%c0%ae',
    '\ud800',
    'é'.repeat(130),
    'n'.repeat(260),
  ];
}

function filename(next: () => number, other: string): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const atoms: string[] = [];
  const count = 1 + Math.floor(next() * 5);
  for (let i = 0; i < count; i++) atoms.push(next() < 0.6 ? pick(PLAIN) : pick(tricks(other)));
  return `${atoms.join(next() < 0.5 ? '' : pick([' ', '-', '_', '/', '.']))}${pick(EXTENSIONS)}`;
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(work));
}

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(1), createTenant(1)]);
  const [rows] = await withTenant(a.ctx, settings, (s) => [findDocumentById(s, a.documentId)]);
  docA = rows[0] as FoundDocument;
});

describe('presigned URLs under adversarial filenames', () => {
  it(`${RUNS} generated names: refused with 400, or signed inside the tenant prefix`, {
    timeout: 120_000,
  }, async () => {
    const next = random(SEED);
    const store = tenantObjects(a.ctx, settings);
    const insidePath = `/${settings.S3_BUCKET}/${documentObjectPrefix(a.ctx, docA)}`;
    const signed = new Map<string, { url: string; headers: Record<string, string> }>();
    let refused = 0;
    for (let run = 0; run < RUNS; run++) {
      const name = filename(next, b.tenantId);
      try {
        const upload = await store.presignUpload(docA, { filename: name, contentType: 'text/plain', contentLength: 1 });
        const path = decodeURIComponent(new URL(upload.url).pathname);
        expect(path.startsWith(insidePath), JSON.stringify(name)).toBe(true);
        expect(path.slice(insidePath.length), JSON.stringify(name)).not.toMatch(/[/\\]/);
        signed.set(upload.objectKey, upload);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'bad_request') throw error;
        refused++;
      }
    }
    // The generator must exercise both outcomes, or the property says little.
    expect(refused).toBeGreaterThan(RUNS / 4);
    expect(signed.size).toBeGreaterThan(500);

    const bPrefix = `/${settings.S3_BUCKET}/${documentObjectPrefix(b.ctx, { projectId: b.projectIds[0], id: b.documentId })}`;
    const statuses = { own: new Set<number>(), other: new Set<number>() };
    await inBatches([...signed.values()], 8, async ({ url, headers }) => {
      statuses.own.add((await fetch(url, { method: 'PUT', body: 'x', headers })).status);
      const aimedAtB = new URL(url);
      aimedAtB.pathname = bPrefix + aimedAtB.pathname.slice(aimedAtB.pathname.lastIndexOf('/') + 1);
      statuses.other.add((await fetch(aimedAtB, { method: 'PUT', body: 'x', headers })).status);
    });
    expect([...statuses.own]).toEqual([200]);
    expect([...statuses.other]).toEqual([403]);

    // Every accepted upload landed under A's document prefix, one object per key; B has nothing.
    expect(await store.deleteAllObjects(documentObjectPrefix(a.ctx, docA))).toBe(signed.size);
    expect((await tenantObjects(b.ctx, settings).listObjects()).keys).toHaveLength(0);
  });
});
