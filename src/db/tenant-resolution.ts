// Tenants read before any tenant context exists, through the bulkhead_auth SECURITY DEFINER
// functions of drizzle/0007_tenant_registry.sql: one tenant by id or slug (its settings and the
// platform switch), "does any tenant allow this origin" for shared-host preflights, and the
// control-plane list. None of them can return a document, key or member.
import type { Settings } from '../config/settings.ts';
import { UUID_PATTERN } from '../domain/uuid.ts';
import type { TenantId } from '../tenancy/context.ts';
import type { Tenant } from '../tenancy/registry.ts';
import type { TenantLookup, TenantSource } from '../tenancy/tenant-directory.ts';
import { tenantFromDocument } from '../tenancy/tenant-document.ts';
import { httpSql } from './neon-client.ts';
import { databaseUnavailable, isHttpDriverFailure, isTransientSqlState } from './postgres-errors.ts';

/**
 * One statement outside any tenant context, over SQL-over-HTTP: only for the bulkhead_auth
 * SECURITY DEFINER functions (resolution, the operator's counts) and the platform row. Driver and transient failures are the one 503.
 */
export async function queryWithoutContext<Row>(settings: Settings, text: string, params: unknown[]): Promise<Row[]> {
  try {
    return (await httpSql(settings).query(text, params)) as Row[];
  } catch (error) {
    throw isHttpDriverFailure(error) || isTransientSqlState(error) ? databaseUnavailable(error) : error;
  }
}

/** A resolver row's tenant, or undefined (logged) when its settings do not parse: fail closed. */
export function parsedTenant(document: unknown): Tenant | undefined {
  try {
    return tenantFromDocument(document);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', event: 'tenant_row_invalid', error: String(error) }));
    return undefined;
  }
}

interface TenantRow {
  tenant: unknown;
  platform_maintenance: boolean;
}

async function resolveTenant(settings: Settings, id: string | null, slug: string | null): Promise<TenantLookup> {
  const rows = await queryWithoutContext<TenantRow>(settings, 'select * from bulkhead_auth.resolve_tenant($1, $2)', [
    id,
    slug,
  ]);
  const row = rows[0];
  if (!row) return { tenant: undefined, platformMaintenance: await platformMaintenance(settings) };
  return { tenant: parsedTenant(row.tenant), platformMaintenance: row.platform_maintenance };
}

async function platformMaintenance(settings: Settings): Promise<boolean> {
  const rows = await queryWithoutContext<{ on: boolean }>(
    settings,
    'select bulkhead_auth.platform_maintenance() as on',
    [],
  );
  return rows[0]?.on === true;
}

export function databaseTenantSource(): TenantSource {
  return {
    byId: async (id, settings) =>
      UUID_PATTERN.test(id)
        ? resolveTenant(settings, id, null)
        : { tenant: undefined, platformMaintenance: await platformMaintenance(settings) },
    bySlug: (slug, settings) => resolveTenant(settings, null, slug),
    platformMaintenance,
    async anyTenantAllows(origin, settings) {
      const rows = await queryWithoutContext<{ allowed: boolean }>(
        settings,
        'select bulkhead_auth.origin_is_allowed($1) as allowed',
        [origin],
      );
      return rows[0]?.allowed === true;
    },
  };
}

export interface TenantListing {
  id: TenantId;
  slug: string;
  name: string;
  status: Tenant['status'];
  locked: boolean;
}

/** One page of the control-plane list, by id; `after` is the last id of the previous page. */
export async function listTenants(
  settings: Settings,
  after: string | undefined,
  limit: number,
): Promise<TenantListing[]> {
  const rows = await queryWithoutContext<TenantListing>(settings, 'select * from bulkhead_auth.list_tenants($1, $2)', [
    after ?? null,
    limit,
  ]);
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, status: row.status, locked: row.locked }));
}

/** Every tenant, page by page (scheduled work visits each one). */
export async function* allTenants(settings: Settings, pageSize = 500): AsyncGenerator<TenantListing> {
  let after: string | undefined;
  for (;;) {
    const page = await listTenants(settings, after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?.id;
  }
}
