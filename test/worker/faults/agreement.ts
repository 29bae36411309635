// What a tenant's three stores hold, read back after a fault, and the checks that they agree: every
// vector and object belongs to a document row that exists, a ready document has exactly one vector
// per chunk row, and nothing was written outside tenant-scoped names (no default namespace, no key
// outside tenants/). Rows are read under RLS, as the tenant; vectors from the Pinecone stand-in in
// the tenant's namespace; objects from the S3 stand-in, the whole bucket.
import { sql } from 'drizzle-orm/sql';
import { expect } from 'vitest';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { bucketUrl, s3Client } from '../../../src/stores/s3-client.ts';
import { parseVectorId, tenantNamespace } from '../../../src/tenancy/storage-names.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

export interface TenantState {
  /** document id → status */
  documents: Map<string, string>;
  /** document id → chunk rows */
  chunks: Map<string, number>;
  /** document id → vectors in the tenant's namespace */
  vectors: Map<string, number>;
  /** object keys under tenants/{id}/ */
  objects: string[];
}

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export async function tenantState(tenantId: string): Promise<TenantState> {
  const ctx = tenantContext(tenantId);
  const settings = testSettings();
  const [documentRows, chunkRows] = await withTenant(ctx, settings, (scope) => [
    scope.db.execute(sql`select id::text as id, status::text as status from documents`),
    scope.db.execute(sql`select document_id::text as id, count(*)::int as n from chunks group by document_id`),
  ]);
  const rowsOf = (result: unknown) => (result as { rows: Array<Record<string, unknown>> }).rows;
  const documents = new Map(rowsOf(documentRows).map((row) => [String(row.id), String(row.status)]));
  const chunks = new Map(rowsOf(chunkRows).map((row) => [String(row.id), Number(row.n)]));

  const vectors = new Map<string, number>();
  const namespace = pineconeIndex(settings).namespace(tenantNamespace(ctx));
  let paginationToken: string | undefined;
  do {
    const page = await namespace.listPaginated({ limit: 100, paginationToken }).catch(() => ({
      vectors: [],
      pagination: undefined,
    }));
    for (const { id } of page.vectors ?? []) count(vectors, parseVectorId(id ?? '')?.documentId ?? `unparsable ${id}`);
    paginationToken = page.pagination?.next;
  } while (paginationToken);

  const objects = (await bucketKeys()).filter((key) => key.startsWith(`tenants/${tenantId}/`));
  return { documents, chunks, vectors, objects };
}

/** Every key in the bucket, read with the stack's own credentials (not a tenant's view). */
export async function bucketKeys(): Promise<string[]> {
  const settings = testSettings();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const url = new URL(bucketUrl(settings));
    url.searchParams.set('list-type', '2');
    if (token) url.searchParams.set('continuation-token', token);
    const xml = await (await s3Client(settings).fetch(url.toString())).text();
    keys.push(...[...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1] as string));
    token = /<NextContinuationToken>([^<]*)</.exec(xml)?.[1];
  } while (token);
  return keys;
}

export interface AgreementOptions {
  /**
   * A document whose DELETE answered 503: src/services/documents/delete-document.ts removes vectors,
   * then objects, then the row, so an interrupted delete leaves the row (still naming what is left)
   * with some of its vectors or objects gone, and a retried DELETE finishes it.
   */
  deleting?: string;
}

/** The stores agree with each other for this tenant, and nothing left the tenant's names. */
export async function expectAgreement(
  tenantId: string,
  label: string,
  options: AgreementOptions = {},
): Promise<TenantState> {
  const state = await tenantState(tenantId);
  for (const [documentId, n] of state.vectors) {
    expect(state.documents.has(documentId), `${label}: ${n} vectors of a document with no row`).toBe(true);
  }
  for (const key of state.objects) {
    const owner = [...state.documents.keys()].find((id) => key.includes(`/documents/${id}/`));
    expect(owner, `${label}: object ${key} of a document with no row`).toBeDefined();
  }
  for (const [documentId, status] of state.documents) {
    if (status !== 'ready' || documentId === options.deleting) continue;
    const rows = state.chunks.get(documentId) ?? 0;
    expect(rows, `${label}: ready document without chunks`).toBeGreaterThan(0);
    expect(state.vectors.get(documentId) ?? 0, `${label}: ready document ${documentId}: vectors vs chunk rows`).toBe(
      rows,
    );
  }
  await expectNothingUnscoped(tenantId, label);
  return state;
}

/**
 * No fallback to a shared name: the client's default namespace was never written (other test files
 * share the stand-ins and use their own namespaces, so only these names are checked), and no object
 * naming this tenant lies outside its prefix.
 */
export async function expectNothingUnscoped(tenantId: string, label: string): Promise<void> {
  const stats = await pineconeIndex(testSettings()).describeIndexStats();
  const names = Object.keys(stats.namespaces ?? {});
  expect(names, `${label}: the default namespace was written`).not.toContain('__default__');
  expect(names, `${label}: the empty namespace was written`).not.toContain('');
  for (const key of await bucketKeys()) {
    if (key.includes(tenantId)) expect(key.startsWith(`tenants/${tenantId}/`), `${label}: ${key}`).toBe(true);
  }
}
