// Tenants with data, written as the database owner (fixtures, never code under test). Every row's
// text carries a canary naming its tenant, so a leaked row is recognisable wherever it shows up.
import { httpSql } from '../../../src/db/neon-client.ts';
import type { NewDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { adminSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

export interface TenantFixture {
  ctx: TenantContext;
  tenantId: string;
  /** Two projects: a project-limited principal gets only the first. */
  projectIds: [string, string];
  documentId: string;
  externalId: string;
  chunkIds: string[];
  canary: string;
}

export const admin = () => httpSql(adminSettings());

export async function createTenant(chunkCount = 3): Promise<TenantFixture> {
  const tenantId = crypto.randomUUID();
  const projectIds: [string, string] = [crypto.randomUUID(), crypto.randomUUID()];
  const documentId = crypto.randomUUID();
  const canary = `canary-${tenantId}`;
  const externalId = `ext-${crypto.randomUUID()}`;
  const sql = admin();
  const results = await sql.transaction([
    sql`insert into tenants (id, slug, name) values (${tenantId}, ${`t-${tenantId}`}, ${canary})`,
    sql`insert into projects (tenant_id, id, name) values (${tenantId}, ${projectIds[0]}, 'first'), (${tenantId}, ${projectIds[1]}, 'second')`,
    sql`insert into documents (tenant_id, project_id, id, external_id, title, content_type)
        values (${tenantId}, ${projectIds[0]}, ${documentId}, ${externalId}, ${canary}, 'text/plain')`,
    sql`insert into documents (tenant_id, project_id, title, content_type)
        values (${tenantId}, ${projectIds[1]}, ${`${canary} second project`}, 'text/plain')`,
    sql`insert into chunks (tenant_id, project_id, document_id, chunk_index, content)
        select ${tenantId}, ${projectIds[0]}, ${documentId}, i, ${canary} || ' chunk ' || i
        from generate_series(0, ${chunkCount - 1}) as i returning id`,
  ]);
  const chunkRows = results.at(-1) as Array<{ id: string }>;
  return {
    ctx: tenantContext(tenantId),
    tenantId,
    projectIds,
    documentId,
    externalId,
    chunkIds: chunkRows.map((row) => row.id),
    canary,
  };
}

/** Input for the app's insertDocumentRecord: a fresh id, no object yet, no client id unless given. */
export function newDocumentRecord(
  projectId: string,
  title: string,
  fields: Partial<Omit<NewDocumentRecord, 'projectId' | 'title'>> = {},
): NewDocumentRecord {
  return {
    id: crypto.randomUUID(),
    projectId,
    title,
    contentType: 'text/plain',
    sizeBytes: 0,
    objectKey: null,
    externalId: null,
    ...fields,
  };
}

/** Rows of `table` for one tenant, counted as the owner (RLS does not apply to the admin). */
export async function countAsAdmin(table: string, tenantId: string): Promise<number> {
  const rows = await admin().query(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenantId]);
  return (rows[0] as { n: number }).n;
}
