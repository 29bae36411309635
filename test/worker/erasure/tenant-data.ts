// Data for erasure tests in all four stores, written past the API (as the database owner, with the
// real Pinecone client, signed S3 PUTs and the KV binding), and an independent count of what a
// tenant has left: every table with a tenant_id column, its namespace, its object prefix, its KV
// prefix. The count is the test's own, so an erasure that trusts its deletes cannot fool it.
import { env } from 'cloudflare:workers';
import { objectUrl } from '../../../src/stores/object-urls.ts';
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { bucketUrl, s3Client } from '../../../src/stores/s3-client.ts';
import type { ObjectKey } from '../../../src/tenancy/storage-names.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';

export interface TenantSizes {
  documents: number;
  chunksPerDocument: number;
  objects: number;
  cacheKeys: number;
  conversations: number;
}

export const SMALL: TenantSizes = { documents: 5, chunksPerDocument: 4, objects: 3, cacheKeys: 3, conversations: 2 };

const DIMENSION = 384;
const vector = (seed: number) => Array.from({ length: DIMENSION }, (_, i) => Math.sin(seed + i) / 20);

/** A tenant row with a project, as provisioning writes it; `id` and `slug` may be chosen. */
export async function insertTenant(id: string = crypto.randomUUID(), slug = `t${id.slice(0, 8)}`) {
  const projectId = crypto.randomUUID();
  const sql = admin();
  await sql.transaction([
    sql`insert into tenants (id, slug, name) values (${id}, ${slug}, ${slug})`,
    sql`insert into projects (tenant_id, id, name) values (${id}, ${projectId}, 'p')`,
  ]);
  return { id, slug, projectId };
}

export async function fillTenant(tenantId: string, projectId: string, sizes: TenantSizes = SMALL) {
  const sql = admin();
  const documents = (await sql.query(
    `insert into documents (tenant_id, project_id, title, content_type, status)
     select $1, $2, 'doc ' || i, 'text/plain', 'ready' from generate_series(1, $3) as i returning id`,
    [tenantId, projectId, sizes.documents],
  )) as Array<{ id: string }>;
  // In slices: one statement of 100,000 rows outlasts the HTTP driver's timeout on a busy machine.
  for (let start = 0; start < documents.length; start += 200) {
    await sql.query(
      `insert into chunks (tenant_id, project_id, document_id, chunk_index, content)
       select $1, $2, d, i, 'chunk ' || i from unnest($3::uuid[]) as d, generate_series(0, $4 - 1) as i`,
      [tenantId, projectId, documents.slice(start, start + 200).map((d) => d.id), sizes.chunksPerDocument],
    );
  }
  const conversations = (await sql.query(
    `insert into conversations (tenant_id, project_id, end_user_id) select $1, $2, 'user-' || i
     from generate_series(1, $3) as i returning id`,
    [tenantId, projectId, sizes.conversations],
  )) as Array<{ id: string }>;
  for (const { id } of conversations) {
    await sql.query(
      `insert into messages (tenant_id, project_id, conversation_id, role, content)
       values ($1, $2, $3, 'user', 'hello'), ($1, $2, $3, 'assistant', 'hi')`,
      [tenantId, projectId, id],
    );
    await sql.query(
      `insert into retrievals (tenant_id, project_id, conversation_id, query, top_k, results)
       values ($1, $2, $3, 'q', 3, '[]'::jsonb)`,
      [tenantId, projectId, id],
    );
  }
  const namespace = pineconeIndex(testSettings()).namespace(`tenant-${tenantId}`);
  const records = documents.flatMap((d, n) =>
    Array.from({ length: sizes.chunksPerDocument }, (_, i) => ({
      id: `${d.id}#${i}`,
      values: vector(n * 1000 + i),
      metadata: { tenantId, projectId, documentId: d.id, chunkIndex: i },
    })),
  );
  // 200 vectors of 384 dimensions stay under Pinecone's 2 MB request limit.
  for (let start = 0; start < records.length; start += 200) {
    await namespace.upsert({ records: records.slice(start, start + 200) });
  }
  const objectKeys = documents
    .slice(0, sizes.objects)
    .map((d, i) => `tenants/${tenantId}/projects/${projectId}/documents/${d.id}/f${i}.txt`);
  // More objects than documents: extra ones under the tenant prefix all the same.
  for (let i = documents.length; i < sizes.objects; i++) objectKeys.push(`tenants/${tenantId}/exports/extra-${i}.txt`);
  await putObjects(objectKeys, `object of ${tenantId}`);
  await Promise.all(
    Array.from({ length: sizes.cacheKeys }, (_, i) =>
      env.CACHE.put(`t:${tenantId}:retrieval:k${i}`, JSON.stringify({ tenantId, value: i })),
    ),
  );
  return { documentIds: documents.map((d) => d.id), conversationIds: conversations.map((c) => c.id), objectKeys };
}

export async function putObjects(keys: readonly string[], body: string) {
  const client = s3Client(testSettings());
  for (let start = 0; start < keys.length; start += 16) {
    await Promise.all(
      keys.slice(start, start + 16).map(async (key) => {
        const res = await client.fetch(objectUrl(testSettings(), key as ObjectKey).toString(), { method: 'PUT', body });
        if (!res.ok) throw new Error(`PUT ${key}: ${res.status} ${await res.text()}`);
      }),
    );
  }
}

async function listAll(prefix: string): Promise<number> {
  const client = s3Client(testSettings());
  let count = 0;
  let token: string | undefined;
  do {
    const url = new URL(bucketUrl(testSettings()));
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', prefix);
    if (token) url.searchParams.set('continuation-token', token);
    const text = await (await client.fetch(url.toString())).text();
    count += (text.match(/<Key>/g) ?? []).length;
    token = /<NextContinuationToken>([^<]*)</.exec(text)?.[1];
  } while (token);
  return count;
}

export interface Remains {
  rows: Record<string, number>;
  vectors: number;
  objects: number;
  cacheKeys: number;
}

/** What is left of a tenant, counted as the owner and through raw listings. */
export async function remainsOfTenant(tenantId: string, keep = ['audit_events', 'jobs']): Promise<Remains> {
  const sql = admin();
  const tables = (await sql.query(
    `select c.relname as name from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
     where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace order by 1`,
  )) as Array<{ name: string }>;
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    if (keep.includes(name)) continue;
    const [row] = (await sql.query(`select count(*)::int as n from "${name}" where tenant_id = $1`, [tenantId])) as [
      { n: number },
    ];
    if (row.n > 0) rows[name] = row.n;
  }
  const stats = await pineconeIndex(testSettings()).describeIndexStats();
  const vectors = stats.namespaces?.[`tenant-${tenantId}`]?.recordCount ?? 0;
  const objects = await listAll(`tenants/${tenantId}/`);
  let cacheKeys = 0;
  let cursor: string | undefined;
  do {
    const page = await env.CACHE.list({ prefix: `t:${tenantId}:`, cursor });
    cacheKeys += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return { rows, vectors, objects, cacheKeys };
}

export const NOTHING: Remains = { rows: {}, vectors: 0, objects: 0, cacheKeys: 0 };
