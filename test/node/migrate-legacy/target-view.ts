// What a migrated tenant holds, read the way the Worker reads it: documents and chunks as the
// runtime role in the tenant's context (RLS decides), vectors from its namespace, objects under its
// prefix. The admin view is only for "does this tenant still exist".
import { Pinecone } from '@pinecone-database/pinecone';
import { AwsClient } from 'aws4fetch';
import pg from 'pg';
import { inject } from 'vitest';
import { SET_TENANT_CONTEXT_SQL } from '../../../src/db/tenant-context-sql.ts';
import { parseListObjectsV2 } from '../../../src/stores/s3-list-result.ts';

const vars = () => inject('stack').workerVars;

export async function asTenant<T>(tenantId: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: vars().DATABASE_URL });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(SET_TENANT_CONTEXT_SQL, [tenantId, '*']);
    const result = await work(client);
    await client.query('rollback');
    return result;
  } finally {
    await client.end();
  }
}

export async function tenantChunkTexts(tenantId: string): Promise<string[]> {
  return asTenant(tenantId, async (client) =>
    (await client.query<{ content: string }>('select content from chunks')).rows.map((r) => r.content),
  );
}

export async function tenantCounts(tenantId: string) {
  return asTenant(tenantId, async (client) => {
    const { rows } = await client.query<{ documents: string; chunks: string; audit: string; with_objects: string }>(
      `select (select count(*) from documents) as documents, (select count(*) from chunks) as chunks,
              (select count(*) from audit_events) as audit,
              (select count(*) from documents where object_key is not null) as with_objects`,
    );
    const row = rows[0];
    return {
      documents: Number(row?.documents),
      chunks: Number(row?.chunks),
      audit: Number(row?.audit),
      withObjects: Number(row?.with_objects),
    };
  });
}

export const targetIndex = () =>
  new Pinecone({ apiKey: vars().PINECONE_API_KEY as string }).index({ host: vars().PINECONE_INDEX_HOST as string });

export async function namespaceIds(namespace: string): Promise<string[]> {
  const scoped = targetIndex().namespace(namespace);
  const ids: string[] = [];
  let paginationToken: string | undefined;
  do {
    const page = await scoped
      .listPaginated({ limit: 100, paginationToken })
      .catch(() => ({ vectors: [], pagination: undefined }));
    for (const v of page.vectors ?? []) if (v.id) ids.push(v.id);
    paginationToken = page.pagination?.next;
  } while (paginationToken);
  return ids;
}

export async function objectKeys(prefix: string): Promise<string[]> {
  const v = vars();
  const client = new AwsClient({
    accessKeyId: v.S3_ACCESS_KEY_ID as string,
    secretAccessKey: v.S3_SECRET_ACCESS_KEY as string,
    service: 's3',
    region: v.S3_REGION as string,
    retries: 0,
  });
  const response = await client.fetch(
    `${v.S3_ENDPOINT}/${v.S3_BUCKET}?${new URLSearchParams({ 'list-type': '2', prefix })}`,
  );
  return parseListObjectsV2(await response.text()).keys;
}

export async function tenantExists(id: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: inject('stack').adminUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local role bulkhead_owner');
    await client.query(SET_TENANT_CONTEXT_SQL, [id, '*']);
    const { rowCount } = await client.query('select 1 from tenants where id = $1', [id]);
    await client.query('rollback');
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
