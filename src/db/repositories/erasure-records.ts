// The two rows an erasure leaves behind on purpose: the tenant row, whose status says what
// happened (so its id and slug are never reused), and the tombstone in audit_events. Both are
// written under the erased tenant's own context: tenants_tenant_update limits the update to that
// row, and the audit log is append-only for the runtime role.
import { sql } from 'drizzle-orm';
import type { TenantScope } from '../tenant-scope.ts';

export type ErasureStatus = 'deleting' | 'erased';

/** `deleting` from any live status; `erased` only from `deleting`. Returns the row when it moved or was there already. */
export function setTenantErasureStatus({ ctx, db }: TenantScope, status: ErasureStatus) {
  const from = status === 'deleting' ? sql`('active', 'suspended', 'deleting')` : sql`('deleting', 'erased')`;
  return db.execute<{ status: string }>(sql`
    update tenants set status = ${status}::tenant_status, updated_at = clock_timestamp()
    where id = ${ctx.tenantId}::uuid and status::text in ${from}
    returning status::text as status`);
}

export function tenantStatus({ ctx, db }: TenantScope) {
  return db.execute<{ status: string }>(
    sql`select status::text as status from tenants where id = ${ctx.tenantId}::uuid`,
  );
}

/**
 * The tombstone, with an id derived from the job: a retried step inserts the same id and the
 * conflict makes it a no-op, so a job leaves exactly one tombstone however often it runs.
 */
export function insertTombstone(
  { ctx, db }: TenantScope,
  tombstone: { id: string; action: string; targetType: string; targetId: string; detail: Record<string, unknown> },
) {
  return db.execute<{ id: string }>(sql`
    insert into audit_events (tenant_id, id, project_id, actor_kind, actor_id, action, target_type, target_id, detail)
    values (${ctx.tenantId}::uuid, ${tombstone.id}::uuid, null, ${ctx.principal.kind}, ${ctx.principal.id},
      ${tombstone.action}, ${tombstone.targetType}, ${tombstone.targetId}, ${JSON.stringify(tombstone.detail)}::jsonb)
    on conflict (tenant_id, id) do nothing
    returning id`);
}

export function tombstones({ db }: TenantScope, action: string, targetId: string) {
  return db.execute<{ id: string; detail: Record<string, unknown> }>(
    sql`select id, detail from audit_events where action = ${action} and target_id = ${targetId}`,
  );
}
