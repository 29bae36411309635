// Legacy migration kit (issue 16): migrationRowsPerSecond and migrationVectorsPerSecond for a
// legacy app of 100 users × 1,000 rows (one legacy chunk each) and 100,000 legacy vectors in one
// shared namespace, copied (the legacy model is the target embedder) into 100 tenants on the local
// stack, run in a child process so this process holds only the kit. Memory: the kit streams in
// batches, so its peak RSS (sampled during the run, and the process maximum) should not grow with
// the data; the figures give both next to the baseline before the run.
// `npm run bench migration` runs only this one; MIGRATION_BENCH_USERS scales it down for a try.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Pinecone } from '@pinecone-database/pinecone';
import pg from 'pg';
import { migrate } from '../scripts/db/migrations.ts';
import { parsePlan } from '../scripts/migrate-legacy/plan.ts';
import { runMigration } from '../scripts/migrate-legacy/run-migration.ts';
import { startChildStack } from './support/child-stack.ts';
import { round } from './support/stats.ts';

const USERS = Number(process.env.MIGRATION_BENCH_USERS ?? 100);
const ROWS_PER_USER = 1_000;
const DIMENSION = 384;
const BATCH = 1_000;

export async function run(): Promise<Record<string, unknown>> {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-migration-'));
  const stack = await startChildStack(stateDir);
  try {
    await migrate(stack.adminUrl);
    const legacyUrl = await createLegacyDatabase(stack.adminUrl);
    const namespace = 'legacy-shared';
    await fillLegacyNamespace(stack.workerVars, namespace);
    const env = {
      ...stack.workerVars,
      MIGRATION_ADMIN_DATABASE_URL: stack.adminUrl,
      LEGACY_DATABASE_URL: legacyUrl,
      LEGACY_PINECONE_HOST: stack.workerVars.PINECONE_INDEX_HOST,
      LEGACY_PINECONE_API_KEY: stack.workerVars.PINECONE_API_KEY,
    };
    const plan = await parsePlan({
      id: 'bench',
      batchSize: BATCH,
      sampleSize: 20,
      source: {
        postgres: { urlEnv: 'LEGACY_DATABASE_URL' },
        owners: { table: 'users', key: 'id', label: 'email' },
        tables: [
          {
            name: 'documents',
            key: 'id',
            owner: 'user_id',
            title: 'title',
            text: 'body',
            createdAt: 'created_at',
            chunks: { table: 'chunks', document: 'document_id', index: 'chunk_index', text: 'content' },
          },
        ],
        vectors: {
          hostEnv: 'LEGACY_PINECONE_HOST',
          apiKeyEnv: 'LEGACY_PINECONE_API_KEY',
          namespace,
          table: 'documents',
          ownerKey: 'user_id',
          documentKey: 'doc_id',
          chunkKey: 'chunk_index',
          model: `local-lexical-${DIMENSION}`,
        },
      },
      owners: { mapping: 'one-tenant-per-user', slug: 'bench-{owner}' },
      tenantDefaults: {
        allowedOrigins: [],
        features: { chat: true },
        limits: { requestsPerMinute: 600, burst: 100, maxDocuments: 10_000, maxUploadBytes: 10_485_760, maxTopK: 20 },
      },
    });

    global.gc?.();
    const baselineRss = process.memoryUsage.rss();
    let sampledPeak = baselineRss;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
    }, 50);
    const report = await runMigration(plan, { mode: 'apply', env });
    clearInterval(sampler);
    if (!report.ok || !report.applied)
      throw new Error(
        `the benchmark migration failed: ${report.validation?.problems.slice(0, 5).join('; ') ?? report.refused}`,
      );
    const { timings, rows, vectorsCopied } = report.applied;
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
    return {
      migrationLegacyUsers: USERS,
      migrationLegacyRows: rows.documentsInserted,
      migrationLegacyVectors: vectorsCopied,
      migrationRowsPerSecond: Math.round(rows.documentsInserted / (timings.rows / 1000)),
      migrationVectorsPerSecond: Math.round(vectorsCopied / (timings.vectors / 1000)),
      migrationValidateSeconds: round(timings.validate / 1000, 1),
      migrationTotalSeconds: round((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000, 1),
      migrationBaselineRssMB: mb(baselineRss),
      migrationPeakRssMB: mb(sampledPeak),
      migrationMaxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    };
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** users × ROWS_PER_USER documents, one chunk each, generated inside Postgres. */
async function createLegacyDatabase(adminUrl: string): Promise<string> {
  const server = new pg.Client({ connectionString: adminUrl });
  await server.connect();
  await server.query('create database legacy_bench');
  await server.end();
  const url = new URL(adminUrl);
  url.pathname = '/legacy_bench';
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`
    create table users (id integer primary key, email text not null);
    create table documents (id integer primary key, user_id integer references users(id), title text, body text not null,
                            created_at timestamptz not null default now());
    create index on documents (user_id);
    create table chunks (id serial primary key, document_id integer not null references documents(id),
                         chunk_index integer not null, content text not null);
    create index on chunks (document_id);
    insert into users select u, 'user' || u || '@legacy.example' from generate_series(1, ${USERS}) u;
    insert into documents (id, user_id, title, body)
      select d, (d - 1) / ${ROWS_PER_USER} + 1, 'Document ' || d, repeat('legacy text of document ' || d || ' ', 8)
      from generate_series(1, ${USERS * ROWS_PER_USER}) d;
    insert into chunks (document_id, chunk_index, content) select id, 0, body from documents;`);
  await db.end();
  return url.toString();
}

/** One vector per legacy chunk, owner in metadata; values short-printed to keep the requests small. */
async function fillLegacyNamespace(vars: Record<string, string>, namespace: string) {
  const index = new Pinecone({ apiKey: vars.PINECONE_API_KEY as string })
    .index({ host: vars.PINECONE_INDEX_HOST as string })
    .namespace(namespace);
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  const total = USERS * ROWS_PER_USER;
  for (let start = 1; start <= total; start += 200) {
    const records = [];
    for (let d = start; d < Math.min(start + 200, total + 1); d++) {
      const values = Array.from({ length: DIMENSION }, () => Math.round(random() * 1000) / 1000);
      records.push({
        id: `doc-${d}`,
        values,
        metadata: { user_id: Math.floor((d - 1) / ROWS_PER_USER) + 1, doc_id: d, chunk_index: 0 },
      });
    }
    await index.upsert({ records });
  }
}
