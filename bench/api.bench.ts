// The widget API's costs, on the whole local stack (Postgres behind the local Neon endpoint, local
// Pinecone, local S3) in Node:
// - isolationOverheadRatio: median latency of POST /v1/query through the full app (edge chain with a
//   cached key, RLS context in the batch, tenantVectors namespace wrapper, tenant KV cache, audit and
//   retrieval log) against the same retrieval with tenant scoping done by hand (a bare Hono route,
//   the owner connection without RLS context and explicit tenant_id filters, the raw namespace, KV
//   keys written out), interleaved request by request, 100 tenants × 100 documents. Each query is
//   new, so both paths miss their cache and pay embed + query + one database batch.
// - ingestion of a 1 MB markdown document with the local embedder: chunks/s, and round trips per
//   ingested batch (Neon HTTP requests and Pinecone upserts, counted at the local endpoints).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { Hono } from 'hono';
import { startLocalStack } from '../local/stack.ts';
import { migrate } from '../scripts/db/migrations.ts';
import { createApp } from '../src/app.ts';
import { readSettings } from '../src/config/settings.ts';
import { httpSql } from '../src/db/neon-client.ts';
import { lexicalVector, localEmbedder } from '../src/embeddings/local-embedder.ts';
import { chunkText } from '../src/ingestion/chunk-text.ts';
import { ingestText } from '../src/services/ingestion/ingest-text.ts';
import { INGESTION_BATCH_SIZE } from '../src/services/ingestion/run-ingestion.ts';
import { pineconeIndex } from '../src/stores/pinecone-index.ts';
import { mintApiKey } from '../src/tenancy/api-key-format.ts';
import { toTenantId } from '../src/tenancy/context.ts';
import { inMemoryKeyStore } from '../src/tenancy/key-store.ts';
import { createTenantRegistry } from '../src/tenancy/registry.ts';
import { sha256Hex } from '../src/tenancy/sha256.ts';
import { type BucketState, takeToken } from '../src/tenancy/token-bucket.ts';

const TENANTS = 100;
const DOCUMENTS = 100;
const REQUESTS = 1_500;
const WARMUP = 150;
const API_HOST = 'api.bulkhead.localhost';
const TOPICS = ['refunds', 'shipping', 'warranty', 'invoices', 'accounts', 'privacy', 'returns', 'pricing'];

interface BenchTenant {
  id: string;
  project: string;
  key: string;
  keyId: string;
  hash: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/** KV in memory: the app's cache calls, without Miniflare. */
function memoryKv() {
  const map = new Map<string, string>();
  return {
    get: async (key: string) => map.get(key) ?? null,
    put: async (key: string, value: string) => void map.set(key, value),
    delete: async (key: string) => void map.delete(key),
    list: async () => ({ keys: [], list_complete: true }),
  };
}

function memoryRateLimiter() {
  const buckets = new Map<string, BucketState>();
  return {
    getByName: (name: string) => ({
      take: async (limits: { requestsPerMinute: number; burst: number }) => {
        const { state, verdict } = takeToken(buckets.get(name), limits, performance.now());
        buckets.set(name, state);
        return verdict;
      },
    }),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-api-'));
  await chmod(stateDir, 0o755); // as root, Postgres runs as another user that must reach its data dir
  const stack = await startLocalStack({ stateDir, mode: 'test', env: {} });
  try {
    await migrate(stack.adminUrl);
    const env = {
      ...stack.workerVars,
      ENVIRONMENT: 'test',
      API_HOST,
      CACHE: memoryKv(),
      TENANT_RATE_LIMITER: memoryRateLimiter(),
    };
    const settings = readSettings(env);
    const tenants = await seed(stack.adminUrl, settings);
    const registry = createTenantRegistry({ tenants: tenants.map(provisioned) });
    const full = createApp({ registry, keyStore: inMemoryKeyStore(registry.apiKeys()) });
    const bare = byHandApp(settings, stack.adminUrl, new Map(tenants.map((t) => [t.key, t])));

    const time = async (app: { request: typeof full.request }, tenant: BenchTenant, query: string) => {
      const body = JSON.stringify({ query, topK: 5, projectId: tenant.project });
      const init = { method: 'POST', body, headers: { 'x-api-key': tenant.key, 'content-type': 'application/json' } };
      const started = performance.now();
      const res = await app.request(`https://${API_HOST}/v1/query`, init, env);
      const elapsed = performance.now() - started;
      const answer = (await res.json()) as { results?: unknown[] };
      if (res.status !== 200 || !answer.results?.length) throw new Error(`bench query answered ${res.status}`);
      return elapsed;
    };
    const fullTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const tenant = tenants[i % TENANTS] as BenchTenant;
      const query = `${TOPICS[i % TOPICS.length]} question ${i}`;
      // Alternating which goes first, so neither always runs on a warmer connection.
      const first = i % 2 === 0 ? full : bare;
      const second = first === full ? bare : full;
      const a = await time(first, tenant, query);
      const b = await time(second, tenant, query);
      if (i < WARMUP) continue;
      fullTimes.push(first === full ? a : b);
      bareTimes.push(first === full ? b : a);
    }
    const ingestion = await ingestionFigures(settings, env, tenants[0] as BenchTenant, stack.neon);
    return {
      isolationOverheadRatio: round(median(fullTimes) / median(bareTimes)),
      isolationQueryMedianMs: { isolated: round(median(fullTimes)), byHand: round(median(bareTimes)) },
      isolationBench: {
        tenants: TENANTS,
        documentsPerTenant: DOCUMENTS,
        requests: REQUESTS,
        cache: 'miss (new query each time)',
        // One database round trip on both paths. The isolated batch adds the set_config statement
        // (~0.2 ms at the local endpoint, where no network hides it) and the RLS predicates (~0.25 ms
        // across the two statements, mostly planning): together about half the gap.
        statementsPerBatch: { isolated: 3, byHand: 2 },
      },
      ...ingestion,
    };
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** Tenants, projects and API keys in the registry; documents, chunks and vectors in the stores. */
async function seed(adminUrl: string, settings: ReturnType<typeof readSettings>): Promise<BenchTenant[]> {
  const sql = httpSql({ ...settings, DATABASE_URL: adminUrl });
  const index = pineconeIndex(settings);
  const tenants: BenchTenant[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const minted = await mintApiKey('secret');
    const tenant = { id: crypto.randomUUID(), project: crypto.randomUUID(), ...minted };
    const documents = Array.from({ length: DOCUMENTS }, (_, d) => ({
      id: crypto.randomUUID(),
      text: `Tenant ${t} document ${d} explains ${TOPICS[d % TOPICS.length]} and ${TOPICS[(d * 3) % TOPICS.length]} in detail.`,
    }));
    await sql.transaction([
      sql`insert into tenants (id, slug, name) values (${tenant.id}, ${`bench-${t}`}, ${`Bench ${t}`})`,
      sql`insert into projects (tenant_id, id, name) values (${tenant.id}, ${tenant.project}, 'main')`,
      sql`insert into documents (tenant_id, project_id, id, title, content_type, status)
          select ${tenant.id}, ${tenant.project}, unnest(${documents.map((d) => d.id)}::uuid[]), 'Doc', 'text/plain', 'ready'`,
      sql`insert into chunks (tenant_id, project_id, document_id, chunk_index, content)
          select ${tenant.id}, ${tenant.project}, d, 0, c from unnest(${documents.map((d) => d.id)}::uuid[], ${documents.map((d) => d.text)}::text[]) as u(d, c)`,
    ]);
    const records = documents.map((d) => ({
      id: `${d.id}#0`,
      values: lexicalVector(d.text),
      metadata: { tenantId: tenant.id, projectId: tenant.project, documentId: d.id, chunkIndex: 0 },
    }));
    await index.namespace(`tenant-${tenant.id}`).upsert({ records });
    tenants.push(tenant);
  }
  return tenants;
}

function provisioned(tenant: BenchTenant) {
  return {
    id: tenant.id,
    slug: `b${tenant.id.slice(0, 8)}`,
    name: 'Bench',
    status: 'active',
    allowedOrigins: [],
    features: { chat: true },
    limits: {
      requestsPerMinute: 1_000_000,
      burst: 100_000,
      maxDocuments: 1000,
      maxUploadBytes: 2_000_000,
      maxTopK: 20,
    },
    projects: [{ id: tenant.project, name: 'main' }],
    apiKeys: [
      {
        id: tenant.keyId,
        kind: 'secret',
        hash: tenant.hash,
        scopes: ['retrieval', 'documents:write'],
        projects: 'all',
        revoked: false,
      },
    ],
  };
}

/**
 * The same retrieval with tenant scoping done by hand: the tenant from a key lookup in a Map, the
 * cache key and namespace name written out, and the same two statements (chunks; visibility,
 * retrieval log and audit row) run by drizzle as the owner, whom RLS does not apply to, with
 * `tenant_id = …` written into every table reference instead of a context statement. It has its
 * own KV (same calls, same digest), so neither path reads the other's cache entries.
 */
function byHandApp(settings: ReturnType<typeof readSettings>, ownerUrl: string, byKey: Map<string, BenchTenant>) {
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
    const documentIds = `{${positions.map((p) => p.documentId).join(',')}}`;
    const indexes = `{${positions.map((p) => p.chunkIndex).join(',')}}`;
    const t = tenant.id;
    const [rows, logged] = await db.batch([
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
                 jsonb_build_object('outcome', case when visible.ok then 'allowed' else 'not_found' end)
          from visible
        )
        select case when ok then 'allowed' else 'not_found' end as outcome from visible`),
    ]);
    if (logged.rows[0]?.outcome !== 'allowed') return c.json({ error: 'not found' }, 404);
    return c.json({ projectId, results: rows.rows });
  });
}

/** A 1 MB markdown document through ingestText with the local embedder. */
async function ingestionFigures(
  settings: ReturnType<typeof readSettings>,
  env: { CACHE: ReturnType<typeof memoryKv> },
  tenant: BenchTenant,
  neon: { stats(): { httpRequests: number } } | undefined,
) {
  const section = (i: number) =>
    `## Section ${i}\n\n${Array.from({ length: 8 }, (_, s) => `Paragraph ${s} of section ${i} covers ${TOPICS[(i + s) % TOPICS.length]} for customers.`).join(' ')}\n\n`;
  let text = '# Handbook\n\n';
  for (let i = 0; new TextEncoder().encode(text).byteLength < 1_000_000; i++) text += section(i);
  let upserts = 0;
  const fetchApi = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).endsWith('/vectors/upsert')) upserts++;
    return fetch(input, init);
  }) as typeof fetch;
  const ctx = {
    tenantId: toTenantId(tenant.id),
    projectIds: 'all' as const,
    principal: { kind: 'secret_key' as const, id: tenant.keyId },
    scopes: new Set(['documents:write' as const]),
    features: {},
    limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1000, maxUploadBytes: 2_000_000, maxTopK: 20 },
  };
  const deps = {
    settings,
    requestId: 'bench',
    embedder: localEmbedder(),
    kv: env.CACHE as unknown as KVNamespace,
    pinecone: pineconeIndex(settings, { fetchApi }),
    chunking: { size: 1000, overlap: 150 },
  };
  const before = neon?.stats().httpRequests ?? 0;
  const started = performance.now();
  const result = await ingestText({
    ctx,
    deps,
    input: { source: 'document', title: 'Handbook', text, projectId: tenant.project },
  });
  const seconds = (performance.now() - started) / 1000;
  const requests = (neon?.stats().httpRequests ?? 0) - before;
  if (result.status !== 'ready') throw new Error(`ingestion ended ${result.status}: ${result.failureReason}`);
  const chunks = chunkText(text, deps.chunking).length;
  const batches = Math.ceil(chunks / INGESTION_BATCH_SIZE);
  return {
    ingestionChunksPerSecond: round(chunks / seconds, 1),
    ingestionBench: { bytes: new TextEncoder().encode(text).byteLength, chunks, batches, seconds: round(seconds) },
    // Per batch: one Neon HTTP batch (chunks + progress event) and one Pinecone upsert; the whole
    // document adds three database round trips (row + queued, processing 0/N, trim + ready).
    ingestionRoundTripsPerBatch: { database: round(requests / batches, 2), pinecone: round(upserts / batches, 2) },
    ingestionRoundTripsTotal: { database: requests, pineconeUpserts: upserts },
  };
}
