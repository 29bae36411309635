// Apply, vectors in copy mode (the legacy model is the target embedder): each legacy vector that
// matches its row is written, values unchanged, into its tenant's namespace under the id Bulkhead
// would give that chunk. In re-embed mode copy-rows.ts embeds instead and this pass is skipped.
import type { Index } from '@pinecone-database/pinecone';
import { toTenantId } from '../../src/tenancy/context.ts';
import { tenantNamespace, vectorId } from '../../src/tenancy/storage-names.ts';
import type { SourceDb } from './connections.ts';
import type { CopyHooks } from './copy-rows.ts';
import { legacyVectorPages, placeVectors } from './legacy-vectors.ts';
import type { OwnerResolver } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { type TenantVectorRecord, upsertTenantVectors } from './tenant-vector-writes.ts';

export async function copyVectors(
  plan: Plan,
  io: { db: SourceDb; legacyIndex: Index; index: Index },
  resolve: OwnerResolver,
  hooks: CopyHooks = {},
): Promise<number> {
  const source = plan.source.vectors;
  if (!source) return 0;
  let copied = 0;
  let page = 0;
  for await (const vectors of legacyVectorPages(io.legacyIndex, source.namespace)) {
    const byTenant = new Map<string, TenantVectorRecord[]>();
    for (const placement of await placeVectors(io.db, plan, resolve, vectors)) {
      if (!placement.placed) continue; // reported by the survey; a refusing plan never gets here
      const { tenant } = placement;
      const records = byTenant.get(tenant.id) ?? [];
      records.push({
        id: vectorId(placement.documentId, placement.chunkIndex),
        values: placement.values,
        metadata: {
          tenantId: tenant.id,
          projectId: tenant.projectId,
          documentId: placement.documentId,
          chunkIndex: placement.chunkIndex,
        },
      });
      byTenant.set(tenant.id, records);
    }
    for (const [tenantId, records] of byTenant) {
      copied += await upsertTenantVectors(io.index, tenantNamespace({ tenantId: toTenantId(tenantId) }), records);
    }
    await hooks.afterBatch?.(++page);
  }
  return copied;
}
