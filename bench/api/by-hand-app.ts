// The baseline of isolationOverheadRatio: POST /v1/query with tenant scoping done by hand. No
// middleware chain, no RLS context, no tenantVectors/tenantCache wrappers: the tenant from a Map,
// names written out, and the same SQL the app runs with `tenant_id = …` in every table reference,
// as the owner (whom RLS does not apply to).
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { Hono } from 'hono';
import type { Settings } from '../../src/config/settings.ts';
import { httpSql } from '../../src/db/neon-client.ts';
import { localEmbedder } from '../../src/embeddings/local-embedder.ts';
import { pineconeIndex } from '../../src/stores/pinecone-index.ts';
import { sha256Hex } from '../../src/tenancy/sha256.ts';
import { memoryKv } from '../support/memory-bindings.ts';
import type { BenchTenant } from './seed-tenants.ts';

/** Its own KV (same calls, same digest), so neither path reads the other's cache entries. */
export function byHandApp(settings: Settings, ownerUrl: string, byKey: Map<string, BenchTenant>) {
  const embedder = localEmbedder();
  const index = pineconeIndex(settings);
  const kv = memoryKv();
  const db = drizzle({ client: httpSql({ ...settings, DATABASE_URL: ownerUrl }) });
  return new Hono().post('/v1/query', async (c) => {
    const tenant = byKey.get(c.req.header('x-api-key') ?? '');
    if (!tenant) return c.json({ error: 'unauthorized' }, 401);
    const { query, topK, projectId } = (await c.req.json()) as { query: string; topK: number; projectId: string };
    const generation = (await kv.get(`t:${tenant.id}:generation:documents`)) ?? '0';
    const cacheKey = `t:${tenant.id}:retrieval:${generation}:${sha256Hex(JSON.stringify([projectId, topK, query]))}`;
    const cached = await kv.get(cacheKey);
    let matches: { id: string; score?: number }[];
    if (cached) {
      matches = JSON.parse(cached);
    } else {
      const [vector] = await embedder.embed([query], 'query');
      const result = await index.namespace(`tenant-${tenant.id}`).query({
        vector: vector as number[],
        topK,
        filter: { projectId: { $eq: projectId } },
        includeMetadata: true,
      });
      matches = result.matches.map((m) => ({ id: m.id, score: m.score }));
      await kv.put(cacheKey, JSON.stringify(matches));
    }
    const positions = matches.map((m, rank) => {
      const [documentId, chunkIndex] = m.id.split('#');
      return { documentId: documentId as string, chunkIndex: Number(chunkIndex), score: m.score ?? 0, rank };
    });
    const [rows, logged] = await db.batch(byHandStatements(db, tenant, { projectId, query, topK, positions }));
    if (logged.rows[0]?.outcome !== 'allowed') return c.json({ error: 'not found' }, 404);
    return c.json({ projectId, results: rows.rows });
  });
}

export interface ByHandRetrieval {
  projectId: string;
  query: string;
  topK: number;
  positions: { documentId: string; chunkIndex: number; score: number; rank: number }[];
}

/** The app's two retrieval statements (chunk read; visibility, log and audit) scoped by hand. */
export function byHandStatements(
  db: ReturnType<typeof drizzle>,
  tenant: BenchTenant,
  { projectId, query, topK, positions }: ByHandRetrieval,
) {
  const documentIds = `{${positions.map((p) => p.documentId).join(',')}}`;
  const indexes = `{${positions.map((p) => p.chunkIndex).join(',')}}`;
  const detail = JSON.stringify({ topK, matches: positions.length, conversationId: null });
  const t = tenant.id;
  return [
    db.execute(sql`select c.id, c.document_id, c.chunk_index, c.content, d.title from chunks c
          join documents d on d.tenant_id = ${t} and d.project_id = c.project_id and d.id = c.document_id
          where c.tenant_id = ${t} and c.project_id = ${projectId} and c.document_id = any(${documentIds}::uuid[])
            and c.chunk_index = any(${indexes}::int[])`),
    db.execute(sql`
        with visible as (
          select exists (select 1 from projects where tenant_id = ${t} and id = ${projectId}::uuid) as ok
        ), logged as (
          insert into retrievals (tenant_id, project_id, conversation_id, query, top_k, results)
          select ${t}::uuid, ${projectId}::uuid, null, ${query}, ${topK},
            coalesce((
              select jsonb_agg(jsonb_build_object('chunkId', c.id, 'score', m.score) order by m.rank)
              from jsonb_to_recordset(${JSON.stringify(positions)}::jsonb) as m("documentId" uuid, "chunkIndex" int, score float8, rank int)
              join chunks c on c.tenant_id = ${t} and c.project_id = ${projectId}::uuid and c.document_id = m."documentId" and c.chunk_index = m."chunkIndex"
            ), '[]'::jsonb)
          from visible where visible.ok
        ), audited as (
          insert into audit_events (tenant_id, project_id, actor_kind, actor_id, action, target_type, target_id, detail)
          select ${t}::uuid, ${projectId}::uuid, 'secret_key', ${tenant.keyId}, 'retrieval.query', 'project', ${projectId},
                 ${detail}::jsonb || jsonb_build_object(
                   'outcome', case when visible.ok then 'allowed' else 'not_found' end, 'requestId', 'bench')
          from visible
        )
        select case when ok then 'allowed' else 'not_found' end as outcome from visible`),
  ] as const;
}
