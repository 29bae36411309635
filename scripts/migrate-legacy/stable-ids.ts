// Every id the kit writes is derived from the plan id and the legacy identity, never random: a
// re-run after a crash computes the same tenant, project, document and vector ids, so an insert
// that already happened is a conflict that changes nothing, and each item exists exactly once.
import { createHash } from 'node:crypto';

/** A UUID (version 8, RFC 9562 custom) from SHA-256 of the parts. */
export function stableUuid(...parts: string[]): string {
  const bytes = createHash('sha256')
    .update(JSON.stringify(['bulkhead-migration', ...parts]))
    .digest();
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** documents.external_id of a migrated row: unique per project, and how rollback finds them. */
export const legacyExternalId = (planId: string, table: string, key: string) => `legacy:${planId}:${table}:${key}`;
export const legacyExternalIdPrefix = (planId: string, table?: string) =>
  table === undefined ? `legacy:${planId}:` : `legacy:${planId}:${table}:`;

export const documentIdOf = (planId: string, table: string, key: string) => stableUuid(planId, 'document', table, key);
