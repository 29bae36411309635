// Postgres isolation layer: edge→database round trips of the main read and write paths (counted at
// the local Neon endpoint), and the cost of RLS: the same indexed query as the runtime role under
// RLS vs. the admin (which bypasses RLS) with an explicit WHERE tenant_id, at 1,000 tenants × 1,000
// chunks, median of many interleaved runs in this one process. Prints the EXPLAIN of that query.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { prepareDatabase } from '../local/database.ts';
import { startLocalNeon } from '../local/neon/server.ts';
import { startLocalPostgres } from '../local/postgres.ts';
import { migrate } from '../scripts/db/migrations.ts';
import type { Settings } from '../src/config/settings.ts';
import { recordAuditEvent } from '../src/db/repositories/audit-events.ts';
import { chunksAtPositions, logRetrievalWithAudit } from '../src/db/repositories/chunk-positions.ts';
import { insertMessage, touchConversation } from '../src/db/repositories/conversation-records.ts';
import { withTenant } from '../src/db/with-tenant.ts';
import { accessEntry, auditEntry } from '../src/services/audit.ts';
import { type TenantContext, toTenantId } from '../src/tenancy/context.ts';
import { median, round } from './support/stats.ts';

const TENANTS = 1_000;
const DOCUMENTS_PER_TENANT = 10;
const CHUNKS_PER_DOCUMENT = 100; // 1,000 chunks per tenant, 1,000,000 in all
const RUNS = 3_000;
const WARM_UP = 200;
const QUERY =
  'select id, chunk_index, content from chunks where project_id = $1 and document_id = $2 order by chunk_index';
const OWNER_QUERY = QUERY.replace('where', 'where tenant_id = $3 and');

interface Target {
  tenant: string;
  project: string;
  document: string;
}

export async function run(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-pg-'));
  const postgres = await startLocalPostgres({ dataDir, persistent: false });
  const neon = await startLocalNeon();
  const clients: pg.Client[] = [];
  try {
    const { adminUrl, runtimeUrl } = await prepareDatabase(postgres.adminUrl);
    await migrate(adminUrl);
    const connect = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    };
    const admin = await connect(adminUrl);
    const targets = await seed(admin);
    const settings = { DATABASE_URL: runtimeUrl, NEON_HTTP_ENDPOINT: neon.httpEndpoint } as Settings;
    const roundTrips = await countRoundTrips(settings, targets[0] as Target, admin, () => neon.stats().httpRequests);
    const runtime = await connect(runtimeUrl);
    const explain = await explainUnderRls(runtime, targets[0] as Target);
    console.log(`EXPLAIN (runtime role, RLS):\n${explain}`);
    const timings = await compare(runtime, admin, targets);
    return {
      roundTrips,
      rlsOverheadRatio: round(timings.rls / timings.owner),
      rlsQueryMedianMs: { rls: round(timings.rls), owner: round(timings.owner) },
      rlsOverheadRatioServer: round(timings.serverRls / timings.serverOwner),
      rlsBench: {
        tenants: TENANTS,
        chunks: TENANTS * DOCUMENTS_PER_TENANT * CHUNKS_PER_DOCUMENT,
        runs: RUNS,
        rowsPerQuery: CHUNKS_PER_DOCUMENT,
      },
      rlsExplain: {
        tenantIndexScan: /Index Scan using chunks_tenant_project_document_index_key/.test(explain),
        indexCondition: /Index Cond: \(\(tenant_id = \(InitPlan 1\)\.col1\)/.test(explain),
        initPlans: (explain.match(/InitPlan \d+\n/g) ?? []).length,
      },
    };
  } finally {
    for (const client of clients) await client.end().catch(() => {});
    await neon.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** 1,000 tenants × 10 documents × 100 chunks, with multi-row INSERTs (COPY is refused under RLS). */
async function seed(admin: pg.Client): Promise<Target[]> {
  await admin.query(`insert into tenants (id, slug, name) select gen_random_uuid(), 'bench-' || i, 'Bench ' || i
                     from generate_series(1, ${TENANTS}) as i`);
  await admin.query(`insert into projects (tenant_id, name) select id, 'main' from tenants`);
  await admin.query(`insert into documents (tenant_id, project_id, title, content_type)
                     select p.tenant_id, p.id, 'doc ' || i, 'text/plain' from projects p, generate_series(1, ${DOCUMENTS_PER_TENANT}) as i`);
  await admin.query(`insert into chunks (tenant_id, project_id, document_id, chunk_index, content, token_count)
                     select d.tenant_id, d.project_id, d.id, i, md5(d.id::text || i) || ' ' || repeat('lorem ipsum ', 8), 24
                     from documents d, generate_series(0, ${CHUNKS_PER_DOCUMENT - 1}) as i`);
  await admin.query('vacuum analyze');
  const { rows } = await admin.query<Target>(
    'select tenant_id as tenant, project_id as project, id as document from documents',
  );
  return rows;
}

function contextOf(target: Target): TenantContext {
  return {
    tenantId: toTenantId(target.tenant),
    projectIds: 'all',
    principal: { kind: 'secret_key', id: 'bench' },
    scopes: new Set(['chat', 'retrieval']),
    features: {},
    limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 10 },
  };
}

/**
 * The app's own batches. Read: retrieval reads the matched chunks' text and writes the retrieval log
 * with its audit row (services/retrieval/retrieve.ts). Write: a chat turn stores both messages,
 * touches the conversation and writes its audit row (services/conversations/post-message.ts).
 */
async function countRoundTrips(settings: Settings, target: Target, admin: pg.Client, requests: () => number) {
  const ctx = contextOf(target);
  const deps = { requestId: 'bench' };
  const { rows } = await admin.query<{ documentId: string; chunkIndex: number }>(
    'select document_id as "documentId", chunk_index as "chunkIndex" from chunks where document_id = $1 limit 5',
    [target.document],
  );
  const { rows: conversation } = await admin.query(
    'insert into conversations (tenant_id, project_id) values ($1, $2) returning id',
    [target.tenant, target.project],
  );
  const conversationId = conversation[0].id as string;
  const { project: projectId } = target;
  const positions = rows.map((row) => ({ ...row, score: 1 }));
  const before = requests();
  const [found, logged] = await withTenant(ctx, settings, (s) => [
    chunksAtPositions(s, projectId, positions),
    logRetrievalWithAudit(
      s,
      { projectId, conversationId, query: 'question', topK: 5, matches: positions },
      accessEntry(ctx, deps, { action: 'retrieval.query', projectId, targetType: 'project', targetId: projectId }),
    ),
  ]);
  const read = requests() - before;
  if (found.rows.length !== 5) throw new Error(`read path returned ${found.rows.length} chunks, expected 5`);
  if (logged.rows[0]?.outcome !== 'allowed') throw new Error('read path did not log the retrieval');
  const turn = { projectId, conversationId };
  await withTenant(ctx, settings, (s) => [
    insertMessage(s, { ...turn, role: 'user', content: 'question' }),
    insertMessage(s, { ...turn, role: 'assistant', content: 'answer' }),
    touchConversation(s, conversationId),
    recordAuditEvent(
      s,
      auditEntry(ctx, deps, {
        action: 'conversation.message',
        projectId,
        targetType: 'conversation',
        targetId: conversationId,
      }),
    ),
  ]);
  return { read, write: requests() - before - read };
}

async function inTenant<T>(client: pg.Client, target: Target, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  await client.query(
    "select set_config('app.current_tenant', $1, true), set_config('app.allowed_projects', '*', true)",
    [target.tenant],
  );
  try {
    return await work();
  } finally {
    await client.query('commit');
  }
}

async function explainUnderRls(runtime: pg.Client, target: Target): Promise<string> {
  const { rows } = await inTenant(runtime, target, () =>
    runtime.query(`explain (costs off) ${QUERY}`, [target.project, target.document]),
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

/**
 * Client-observed and server-side (EXPLAIN ANALYZE) medians. Each timed query is the second of two
 * identical runs on its connection, and the two sides take turns going first: otherwise whichever
 * runs second finds the target's pages and CPU caches warm, a bias larger than RLS itself.
 */
async function compare(runtime: pg.Client, admin: pg.Client, targets: Target[]) {
  const samples = {
    rls: [] as number[],
    owner: [] as number[],
    serverRls: [] as number[],
    serverOwner: [] as number[],
  };
  const ANALYZE = 'explain (analyze, timing off, format json) ';
  for (let i = 0; i < RUNS + WARM_UP; i++) {
    const t = targets[Math.floor(Math.random() * targets.length)] as Target;
    const rls = (prefix = '') =>
      inTenant(runtime, t, () => secondRun(() => runtime.query(prefix + QUERY, [t.project, t.document])));
    const owner = (prefix = '') =>
      secondRun(() => admin.query(prefix + OWNER_QUERY, [t.project, t.document, t.tenant]));
    const client = await inTurn(i, rls, owner);
    if (i < WARM_UP) continue;
    samples.rls.push(client.rls.ms);
    samples.owner.push(client.owner.ms);
    if (i % 4 === 0) {
      const server = await inTurn(
        i / 4,
        () => rls(ANALYZE),
        () => owner(ANALYZE),
      );
      samples.serverRls.push(executionMs(server.rls.result));
      samples.serverOwner.push(executionMs(server.owner.result));
    }
  }
  return {
    rls: median(samples.rls),
    owner: median(samples.owner),
    serverRls: median(samples.serverRls),
    serverOwner: median(samples.serverOwner),
  };
}

async function secondRun(work: () => Promise<pg.QueryResult>) {
  await work();
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** Runs both, RLS first on even turns and owner first on odd ones. */
async function inTurn<T>(turn: number, rls: () => Promise<T>, owner: () => Promise<T>) {
  if (turn % 2 === 0) {
    const first = await rls();
    return { rls: first, owner: await owner() };
  }
  const first = await owner();
  return { rls: await rls(), owner: first };
}

const executionMs = (result: pg.QueryResult) => Number(result.rows[0]['QUERY PLAN'][0]['Execution Time']);
