// The shared legacy namespace, read a page at a time (ids by list, then values and metadata by
// fetch), and each vector matched to its row: it belongs to a tenant only when its document row
// exists and the owner in its metadata is that row's owner (no owner key = a row without owner).
// Anything else cannot be placed without guessing, and a guess is how one user's data ends up in
// another's tenant.
import type { Index } from '@pinecone-database/pinecone';
import type { SourceDb } from './connections.ts';
import { ownersOfKeys, tableNamed } from './legacy-rows.ts';
import type { OwnerResolver, TargetTenant } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { documentIdOf } from './stable-ids.ts';

const PAGE = 100;

export interface LegacyVector {
  id: string;
  values: number[];
  metadata: Record<string, unknown>;
}

export type VectorPlacement =
  | { placed: true; tenant: TargetTenant; documentId: string; chunkIndex: number; values: number[] }
  | { placed: false; id: string; why: 'no-document' | 'owner-mismatch' | 'owner-refused' | 'no-chunk-index' };

/** The namespace's ids, a list page (at most 100, Pinecone's limit) at a time. */
export async function* legacyVectorIdPages(index: Index, namespace: string): AsyncGenerator<string[]> {
  const scoped = index.namespace(namespace);
  let paginationToken: string | undefined;
  do {
    const page = await scoped.listPaginated({ limit: PAGE, paginationToken });
    const ids = (page.vectors ?? []).flatMap((v) => (v.id ? [v.id] : []));
    if (ids.length > 0) yield ids;
    paginationToken = page.pagination?.next;
  } while (paginationToken);
}

/** Values and metadata of these ids. */
export async function fetchLegacyVectors(index: Index, namespace: string, ids: string[]): Promise<LegacyVector[]> {
  const { records } = await index.namespace(namespace).fetch({ ids });
  return ids.flatMap((id) => {
    const record = records[id];
    return record
      ? [{ id, values: record.values ?? [], metadata: (record.metadata ?? {}) as Record<string, unknown> }]
      : [];
  });
}

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);

export async function placeVectors(
  db: SourceDb,
  plan: Plan,
  resolve: OwnerResolver,
  vectors: LegacyVector[],
): Promise<VectorPlacement[]> {
  const source = plan.source.vectors;
  if (!source) return [];
  const table = tableNamed(plan, source.table);
  const keys = [...new Set(vectors.flatMap((v) => text(v.metadata[source.documentKey]) ?? []))];
  const owners = await ownersOfKeys(db, table, keys);
  return vectors.map((vector): VectorPlacement => {
    const key = text(vector.metadata[source.documentKey]);
    if (key === null || !owners.has(key)) return { placed: false, id: vector.id, why: 'no-document' };
    const rowOwner = owners.get(key) ?? null;
    if (text(vector.metadata[source.ownerKey]) !== rowOwner)
      return { placed: false, id: vector.id, why: 'owner-mismatch' };
    const chunkIndex = Number(vector.metadata[source.chunkKey]);
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0) return { placed: false, id: vector.id, why: 'no-chunk-index' };
    const verdict = resolve(rowOwner);
    if (!('tenant' in verdict)) return { placed: false, id: vector.id, why: 'owner-refused' };
    return {
      placed: true,
      tenant: verdict.tenant,
      documentId: documentIdOf(plan.id, table.name, key),
      chunkIndex,
      values: vector.values,
    };
  });
}
