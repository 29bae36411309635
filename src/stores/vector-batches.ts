// Pinecone refuses an upsert of more than 1,000 vectors or more than 2 MB. Batches are cut by the
// exact JSON size of each record, with room left for the request envelope and the client's own
// field names, so a batch that fits here fits there.

export const MAX_VECTORS_PER_UPSERT = 1000;
/** 2 MiB is the limit; the margin covers `{"vectors":[…],"namespace":"tenant-…"}` and key renames. */
export const MAX_UPSERT_BYTES = 2_000_000;

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: BatchLimits = { maxRecords: MAX_VECTORS_PER_UPSERT, maxBytes: MAX_UPSERT_BYTES };
const encoder = new TextEncoder();

export function upsertBatches<T>(records: readonly T[], limits: BatchLimits = DEFAULT_LIMITS): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = encoder.encode(JSON.stringify(record)).byteLength + 1; // +1 for the comma
    if (size > limits.maxBytes) throw new Error(`one vector record is ${size} bytes, over the upsert limit`);
    if (batch.length === limits.maxRecords || bytes + size > limits.maxBytes) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
