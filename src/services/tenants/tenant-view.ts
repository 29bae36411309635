// What the operator API shows of a tenant: control-plane fields only, never a document, key or member.
import type { TenantRow } from '../../db/repositories/tenant-records.ts';

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  status: TenantRow['status'];
  locked: boolean;
  allowedOrigins: string[];
  features: Record<string, boolean>;
  limits: Record<string, number>;
  jwt: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export function tenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    locked: row.locked,
    allowedOrigins: row.allowedOrigins,
    features: row.features as Record<string, boolean>,
    limits: row.limits as Record<string, number>,
    jwt: (row.jwt as Record<string, unknown> | null) ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
