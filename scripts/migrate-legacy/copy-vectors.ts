// Apply, vectors in copy mode (the legacy model is the target embedder): each legacy vector that
// matches its row is written, values unchanged, into its tenant's namespace under the id Bulkhead
// would give that chunk. In re-embed mode copy-rows.ts embeds instead and this pass is skipped.
//
// A list page of the shared namespace mixes owners, so records are buffered per tenant and written
// in full batches, not one small upsert per tenant per page; the buffers are bounded (a tenant's
// is written at UPSERT_BATCH, all of them past MAX_BUFFERED), so memory does not grow with the index.
import type { Index } from '@pinecone-database/pinecone';
import { toTenantId } from '../../src/tenancy/context.ts';
import { tenantNamespace, vectorId } from '../../src/tenancy/storage-names.ts';
import type { SourceDb } from './connections.ts';
import type { CopyHooks } from './copy-rows.ts';
import { fetchLegacyVectors, legacyVectorIdPages, placeVectors } from './legacy-vectors.ts';
import type { OwnerResolver } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { type TenantVectorRecord, upsertTenantVectors } from './tenant-vector-writes.ts';

const PAGES_IN_FLIGHT = 4;
const UPSERT_BATCH = 200;
const MAX_BUFFERED = 5_000;

export async function copyVectors(
  plan: Plan,
  io: { db: SourceDb; legacyIndex: Index; index: Index },
  resolve: OwnerResolver,
  hooks: CopyHooks = {},
): Promise<number> {
  const source = plan.source.vectors;
  if (!source) return 0;
  const buffers = new Map<string, TenantVectorRecord[]>();
  let buffered = 0;
  let copied = 0;
  let page = 0;

  const write = async (tenantId: string) => {
    const records = buffers.get(tenantId) ?? [];
    buffers.delete(tenantId);
    buffered -= records.length;
    if (records.length === 0) return;
    const written = await upsertTenantVectors(io.index, tenantNamespace({ tenantId: toTenantId(tenantId) }), records);
    // Not `copied += await …`: that reads `copied` before the await and loses concurrent counts.
    copied += written;
  };
  const place = async (ids: string[]) => {
    const vectors = await fetchLegacyVectors(io.legacyIndex, source.namespace, ids);
    for (const placement of await placeVectors(io.db, plan, resolve, vectors)) {
      if (!placement.placed) continue; // reported by the survey; a refusing plan never gets here
      const { tenant, documentId, chunkIndex } = placement;
      const records = buffers.get(tenant.id) ?? [];
      records.push({
        id: vectorId(documentId, chunkIndex),
        values: placement.values,
        metadata: { tenantId: tenant.id, projectId: tenant.projectId, documentId, chunkIndex },
      });
      buffers.set(tenant.id, records);
      buffered++;
    }
  };
  const flush = async (all: boolean) => {
    const full = [...buffers].filter(([, records]) => all || records.length >= UPSERT_BATCH).map(([id]) => id);
    await Promise.all(full.map(write));
  };

  // Listing is sequential (each page's token comes from the last); fetching pages is not.
  let inFlight: string[][] = [];
  const step = async () => {
    await Promise.all(inFlight.map(place));
    inFlight = [];
    await flush(buffered > MAX_BUFFERED);
    await hooks.afterBatch?.(++page);
  };
  for await (const ids of legacyVectorIdPages(io.legacyIndex, source.namespace)) {
    inFlight.push(ids);
    if (inFlight.length === PAGES_IN_FLIGHT) await step();
  }
  if (inFlight.length > 0) await step();
  await flush(true);
  return copied;
}
