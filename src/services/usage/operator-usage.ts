// Usage across tenants for the operator: counts only, one row per tenant, through the SECURITY
// DEFINER function bulkhead_auth.tenant_usage_counts (drizzle/0008_admin_api.sql), which counts each
// tenant under that tenant's own RLS context and returns no row of any tenant table. Paged by
// tenant id (at most 1000 a page). No tenant context: this runs for the platform, not a tenant.
import type { Settings } from '../../config/settings.ts';
import { queryWithoutContext } from '../../db/tenant-resolution.ts';

export interface TenantUsageCounts {
  tenantId: string;
  documents: number;
  chunks: number;
  conversations: number;
  messages: number;
  storedBytes: number;
  liveApiKeys: number;
}

interface Row {
  tenant_id: string;
  documents: string;
  chunks: string;
  conversations: string;
  messages: string;
  stored_bytes: string;
  live_api_keys: string;
}

export async function operatorUsage(
  settings: Settings,
  page: { after?: string; limit: number },
): Promise<{ tenants: TenantUsageCounts[]; nextAfter: string | null }> {
  const rows = await queryWithoutContext<Row>(settings, 'select * from bulkhead_auth.tenant_usage_counts($1, $2)', [
    page.after ?? null,
    page.limit,
  ]);
  const tenants = rows.map((row) => ({
    tenantId: row.tenant_id,
    documents: Number(row.documents),
    chunks: Number(row.chunks),
    conversations: Number(row.conversations),
    messages: Number(row.messages),
    storedBytes: Number(row.stored_bytes),
    liveApiKeys: Number(row.live_api_keys),
  }));
  return { tenants, nextAfter: tenants.length === page.limit ? (tenants.at(-1)?.tenantId ?? null) : null };
}
