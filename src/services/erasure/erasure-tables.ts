// Which tenant tables erasure empties, in which order, and which it keeps on purpose. Children go
// before parents so each batch deletes what it counts (a cascade would delete rows no batch
// counted); any tenant table not named here is emptied afterwards by the catch-all pass, and
// counted by the verification either way.

/** Emptied first, in this order. */
export const ERASE_ORDER = [
  'chunks',
  'retrievals',
  'messages',
  'conversations',
  'api_key_projects',
  'user_project_roles',
  'idempotency_keys',
  'documents',
  'api_keys',
  'projects',
  'tenant_document_counts',
  'retention_settings',
] as const;

/**
 * Kept by design: the audit log (append-only for the runtime role; it holds the tombstone) and
 * the job rows (the status a caller reads afterwards). Neither holds document or message content.
 */
export const RETAINED_TABLES = new Set(['audit_events', 'jobs']);

/** The catalogue's tenant tables in erasure order: the known ones first, then any others. */
export function eraseOrder(catalogue: readonly string[]): string[] {
  const present = new Set(catalogue);
  const known = ERASE_ORDER.filter((name) => present.has(name));
  const others = catalogue.filter((name) => !RETAINED_TABLES.has(name) && !known.includes(name as never)).sort();
  return [...known, ...others];
}
