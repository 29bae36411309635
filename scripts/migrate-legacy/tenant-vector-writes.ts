// Vectors into a tenant's own namespace, with the metadata the Worker checks on every match
// (src/stores/tenant-vectors.ts) and nothing else: legacy metadata may hold text, and chunk text
// stays in Postgres under RLS. Batched to Pinecone's upsert limits (src/stores/vector-batches.ts).
import type { Index } from '@pinecone-database/pinecone';
import { upsertBatches } from '../../src/stores/vector-batches.ts';
import type { VectorNamespace } from '../../src/tenancy/storage-names.ts';

export interface TenantVectorRecord {
  id: string;
  values: number[];
  metadata: { tenantId: string; projectId: string; documentId: string; chunkIndex: number };
}

export async function upsertTenantVectors(index: Index, namespace: VectorNamespace, records: TenantVectorRecord[]) {
  if (!namespace.startsWith('tenant-')) throw new Error('refusing to write vectors outside a tenant namespace');
  const scoped = index.namespace(namespace);
  for (const batch of upsertBatches(records)) await scoped.upsert({ records: batch });
  return records.length;
}
