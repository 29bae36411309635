// The platform maintenance switch (platform_settings, one row; drizzle/0007_tenant_registry.sql):
// no tenant's data, so read and written without a tenant context, by the operator API only. The
// edge reads it through bulkhead_auth.platform_maintenance (src/db/tenant-resolution.ts).
import type { Settings } from '../config/settings.ts';
import { queryWithoutContext } from './tenant-resolution.ts';

export interface PlatformMaintenance {
  maintenance: boolean;
  message: string | null;
  updatedAt: string;
}

interface Row {
  maintenance: boolean;
  maintenance_message: string | null;
  updated_at: string | Date;
}

const view = (row: Row | undefined): PlatformMaintenance => ({
  maintenance: row?.maintenance === true,
  message: row?.maintenance_message ?? null,
  updatedAt: new Date(row?.updated_at ?? 0).toISOString(),
});

export async function readPlatformMaintenance(settings: Settings): Promise<PlatformMaintenance> {
  return view((await queryWithoutContext<Row>(settings, 'select * from platform_settings where id', []))[0]);
}

export async function writePlatformMaintenance(
  settings: Settings,
  maintenance: boolean,
  message: string | null,
): Promise<PlatformMaintenance> {
  const rows = await queryWithoutContext<Row>(
    settings,
    'update platform_settings set maintenance = $1, maintenance_message = $2, updated_at = now() where id returning *',
    [maintenance, message],
  );
  return view(rows[0]);
}
