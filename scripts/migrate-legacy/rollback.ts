// --rollback: undoes an apply from its report, removing exactly what the report says the kit
// wrote, tenant by tenant: the migrated documents (their chunks cascade) under the tenant's own
// context as the runtime role, their vectors in its namespace, their objects under its prefix,
// the kit's audit rows, and, for a tenant the kit provisioned, the tenant itself (as the migration
// role, like provisioning). Tenants that existed before keep everything else. The legacy source is
// never touched, so after a rollback the old app runs as it did. Each step tolerates "already
// gone", so an interrupted rollback can be run again.
import type { Index } from '@pinecone-database/pinecone';
import type pg from 'pg';
import { MIGRATION_ROLE } from '../../src/db/schema/roles.ts';
import { parseListObjectsV2 } from '../../src/stores/s3-list-result.ts';
import { toTenantId } from '../../src/tenancy/context.ts';
import { parseVectorId, tenantNamespace, tenantObjectPrefix } from '../../src/tenancy/storage-names.ts';
import { inAdminTransaction } from '../db/admin-transaction.ts';
import { type Bucket, objectUrl } from './connections.ts';
import type { TargetTenant } from './owner-mapping.ts';
import { legacyExternalIdPrefix } from './stable-ids.ts';
import { inTenantTransaction } from './tenant-transaction.ts';
import { MIGRATION_ACTOR } from './write-documents.ts';

export interface RolledBackTenant {
  tenant: { id: string; slug: string };
  documents: number;
  vectors: number;
  objects: number;
  tenantDeleted: boolean;
}

export async function rollback(
  planId: string,
  tenants: TargetTenant[],
  io: { target: pg.Client; adminUrl: string; index: Index; bucket?: Bucket },
): Promise<RolledBackTenant[]> {
  const done: RolledBackTenant[] = [];
  for (const tenant of tenants) {
    const like = `${legacyExternalIdPrefix(planId).replace(/[\\%_]/g, '\\$&')}%`;
    const migrated = await inTenantTransaction(
      io.target,
      tenant.id,
      async (tx) =>
        (
          await tx.query<{ id: string; object_key: string | null }>(
            'select id::text, object_key from documents where external_id like $1',
            [like],
          )
        ).rows,
    );
    const ids = new Set(migrated.map((d) => d.id));
    const vectors = await deleteVectors(io.index, tenant, ids);
    const objects = io.bucket ? await deleteObjects(io.bucket, tenant, ids) : 0;
    const documents = await inTenantTransaction(
      io.target,
      tenant.id,
      async (tx) => (await tx.query('delete from documents where external_id like $1', [like])).rowCount ?? 0,
    );
    const tenantDeleted = await inAdminTransaction(io.adminUrl, async (client) => {
      await client.query(`set local role ${MIGRATION_ROLE}`);
      await client.query(
        "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', '*', true)",
        [tenant.id],
      );
      // Audit rows have no foreign key (they outlive what they describe): the kit's own go by actor.
      await client.query('delete from audit_events where tenant_id = $1 and actor_id = $2', [
        tenant.id,
        MIGRATION_ACTOR(planId),
      ]);
      if (!tenant.provisioned) return false;
      return ((await client.query('delete from tenants where id = $1', [tenant.id])).rowCount ?? 0) > 0;
    });
    done.push({ tenant: { id: tenant.id, slug: tenant.slug }, documents, vectors, objects, tenantDeleted });
  }
  return done;
}

async function deleteVectors(index: Index, tenant: TargetTenant, documentIds: Set<string>): Promise<number> {
  const namespace = tenantNamespace({ tenantId: toTenantId(tenant.id) });
  const scoped = index.namespace(namespace);
  const ids: string[] = [];
  let paginationToken: string | undefined;
  do {
    const page = await scoped
      .listPaginated({ limit: 100, paginationToken })
      .catch(() => ({ vectors: [], pagination: undefined }));
    for (const { id } of page.vectors ?? []) {
      const parsed = id ? parseVectorId(id) : undefined;
      // A provisioned tenant's namespace holds only what the kit wrote; another's keeps its own.
      if (id && (tenant.provisioned || (parsed && documentIds.has(parsed.documentId)))) ids.push(id);
    }
    paginationToken = page.pagination?.next;
  } while (paginationToken);
  for (let start = 0; start < ids.length; start += 1000)
    await scoped.deleteMany({ ids: ids.slice(start, start + 1000) });
  return ids.length;
}

async function deleteObjects(bucket: Bucket, tenant: TargetTenant, documentIds: Set<string>): Promise<number> {
  const prefix = tenantObjectPrefix({ tenantId: toTenantId(tenant.id) });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ 'list-type': '2', prefix, 'max-keys': '1000' });
    if (token) query.set('continuation-token', token);
    const response = await bucket.client.fetch(`${bucket.url}?${query}`);
    if (!response.ok) throw new Error(`listing ${prefix}: ${response.status}`);
    const page = parseListObjectsV2(await response.text());
    for (const key of page.keys) {
      const documentId = /\/documents\/([0-9a-f-]{36})\//.exec(key)?.[1];
      if (tenant.provisioned || (documentId && documentIds.has(documentId))) keys.push(key);
    }
    token = page.nextContinuationToken;
  } while (token);
  for (const key of keys) {
    const response = await bucket.client.fetch(objectUrl(bucket, key), { method: 'DELETE' });
    if (!response.ok && response.status !== 404) throw new Error(`DELETE ${key}: ${response.status}`);
  }
  return keys.length;
}
