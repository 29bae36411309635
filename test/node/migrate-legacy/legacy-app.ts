// A single-tenant RAG app as a test builds it, on the test stack: its own database with a
// FastAPI/SQLAlchemy-style schema (users; documents with a nullable user_id; chunks), vectors in
// one shared namespace of the local Pinecone carrying user_id in metadata (some without), objects
// at documents/{user_id}/{doc_id}/{name} in a bucket of its own S3 endpoint, and unscoped cache
// keys in a Workers KV stand-in. Every user's text carries a canary word no other user's has.
import { Pinecone } from '@pinecone-database/pinecone';
import { AwsClient } from 'aws4fetch';
import pg from 'pg';
import { inject } from 'vitest';
import { startLocalS3 } from '../../../local/s3/server.ts';
import type { Plan } from '../../../scripts/migrate-legacy/plan.ts';
import { lexicalVector } from '../../../src/embeddings/local-embedder.ts';
import { startKvStandIn } from './kv-api-stand-in.ts';

const LEGACY_S3 = { accessKeyId: 'LEGACYLOCALKEY000001', secretAccessKey: 'legacy-local-secret-not-for-production' };
const KV = { accountId: 'a'.repeat(32), namespaceId: 'b'.repeat(32), token: 'legacy-kv-token-not-a-real-one' };
export const LEGACY_BUCKET = 'legacy-uploads';

export interface LegacyAppShape {
  users: number;
  documentsPerUser: number;
  chunksPerDocument: number;
  /** Documents with user_id NULL (vectors without user_id). */
  unowned: number;
  /** A vector and an object naming a document that does not exist. */
  orphans: boolean;
}

export const canary = (user: number) => `canary${user}zq`;

export async function createLegacyApp(shape: LegacyAppShape) {
  const stack = inject('stack');
  const run = crypto.randomUUID().replaceAll('-', '').slice(0, 8);
  const name = `legacy_${run}`;
  const server = new pg.Client({ connectionString: stack.adminUrl });
  await server.connect();
  await server.query(`create database ${name}`);
  await server.end();
  const url = new URL(stack.adminUrl);
  url.pathname = `/${name}`;
  const legacyUrl = url.toString();

  const s3 = await startLocalS3({ bucket: LEGACY_BUCKET, region: 'auto', credentials: [LEGACY_S3] });
  const kv = await startKvStandIn(KV);
  const namespace = `legacy-${run}`;
  const index = new Pinecone({ apiKey: stack.workerVars.PINECONE_API_KEY as string }).index({
    host: stack.workerVars.PINECONE_INDEX_HOST as string,
  });
  const objects = new AwsClient({ ...LEGACY_S3, service: 's3', region: 'auto', retries: 0 });

  const db = new pg.Client({ connectionString: legacyUrl });
  await db.connect();
  await db.query(`
    create table users (id serial primary key, email text not null unique, created_at timestamptz not null default now());
    create table documents (
      id serial primary key, user_id integer references users(id), title text, body text not null,
      meta jsonb, created_at timestamptz not null default now());
    create index documents_user_id_idx on documents (user_id);
    create table chunks (
      id serial primary key, document_id integer not null references documents(id), chunk_index integer not null,
      content text not null, unique (document_id, chunk_index));`);
  const vectors: Array<{ id: string; values: number[]; metadata: Record<string, string | number> }> = [];
  const putObject = async (key: string, body: string) => {
    const response = await objects.fetch(`${s3.endpoint}/${LEGACY_BUCKET}/${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    if (!response.ok) throw new Error(`legacy PUT ${key}: ${response.status}`);
  };
  const addDocument = async (userId: number | null, n: number) => {
    const word = userId === null ? 'unownedzq' : canary(userId);
    const { rows } = await db.query<{ id: number }>(
      `insert into documents (user_id, title, body, meta, created_at)
       values ($1, $2, $3, $4, now() - ($5 || ' minutes')::interval) returning id`,
      [userId, `Doc ${n} of ${userId ?? 'nobody'}`, `Body ${n} ${word}`, { n, tags: ['a', 'b'] }, String(n)],
    );
    const id = rows[0]?.id as number;
    for (let c = 0; c < shape.chunksPerDocument; c++) {
      const content = `Chunk ${c} of document ${id}: ${word} notes on topic ${n}`;
      await db.query('insert into chunks (document_id, chunk_index, content) values ($1, $2, $3)', [id, c, content]);
      const metadata: Record<string, string | number> = { doc_id: id, chunk_index: c, text: content };
      if (userId !== null) metadata.user_id = userId;
      vectors.push({ id: `doc-${id}-chunk-${c}`, values: lexicalVector(content), metadata });
    }
    if (n % 2 === 0 && userId !== null)
      await putObject(`documents/${userId}/${id}/notes ${n}.txt`, `file of ${id} ${word}`);
  };
  for (let u = 1; u <= shape.users; u++) {
    await db.query('insert into users (id, email) values ($1, $2)', [u, `user${u}@legacy.example`]);
    for (let n = 0; n < shape.documentsPerUser; n++) await addDocument(u, n);
  }
  await db.query(`select setval('users_id_seq', ${shape.users + 1})`);
  for (let n = 0; n < shape.unowned; n++) await addDocument(null, n);
  if (shape.orphans) {
    vectors.push({
      id: 'doc-99999-chunk-0',
      values: lexicalVector('orphan'),
      metadata: { doc_id: 99999, chunk_index: 0, user_id: 1 },
    });
    await putObject('documents/1/99999/orphan.txt', 'orphan');
  }
  await db.end();
  const scoped = index.namespace(namespace);
  for (let start = 0; start < vectors.length; start += 100)
    await scoped.upsert({ records: vectors.slice(start, start + 100) });
  for (const key of ['summary:2024-11', 'summary:2024-12', 'answers:what-is-x', 'answers:how-to-y', 'keep:session-1'])
    kv.keys.add(key);

  const env: Record<string, string> = {
    ...stack.workerVars,
    MIGRATION_ADMIN_DATABASE_URL: stack.adminUrl,
    LEGACY_DATABASE_URL: legacyUrl,
    LEGACY_PINECONE_HOST: stack.workerVars.PINECONE_INDEX_HOST as string,
    LEGACY_PINECONE_API_KEY: stack.workerVars.PINECONE_API_KEY as string,
    LEGACY_S3_ENDPOINT: s3.endpoint,
    LEGACY_S3_ACCESS_KEY_ID: LEGACY_S3.accessKeyId,
    LEGACY_S3_SECRET_ACCESS_KEY: LEGACY_S3.secretAccessKey,
    LEGACY_KV_API: kv.apiBase,
    LEGACY_KV_TOKEN: KV.token,
  };

  /** The plan document (before parsing) for this app, with `owners` as given. */
  const planDocument = (owners: object, overrides: Record<string, unknown> = {}) => ({
    id: `fixture-${run}`,
    batchSize: 3,
    sampleSize: 50,
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
          metadata: 'meta',
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
        model: 'local-lexical-384',
      },
      objects: {
        endpointEnv: 'LEGACY_S3_ENDPOINT',
        bucket: LEGACY_BUCKET,
        accessKeyIdEnv: 'LEGACY_S3_ACCESS_KEY_ID',
        secretAccessKeyEnv: 'LEGACY_S3_SECRET_ACCESS_KEY',
        pattern: 'documents/{owner}/{document}/{name}',
        table: 'documents',
      },
      cache: {
        kind: 'cloudflare-kv',
        apiBaseEnv: 'LEGACY_KV_API',
        accountId: KV.accountId,
        namespaceId: KV.namespaceId,
        apiTokenEnv: 'LEGACY_KV_TOKEN',
        patterns: ['summary:*', 'answers:*'],
      },
    },
    owners,
    tenantDefaults: {
      allowedOrigins: ['https://app.legacy.example'],
      features: { chat: true, uploads: true },
      limits: { requestsPerMinute: 600, burst: 100, maxDocuments: 1000, maxUploadBytes: 10485760, maxTopK: 20 },
    },
    ...overrides,
  });

  return {
    run,
    env,
    legacyUrl,
    namespace,
    kv,
    s3,
    planDocument,
    /** Rows of the legacy database: proof it was never written. */
    async sourceFingerprint(): Promise<string> {
      const client = new pg.Client({ connectionString: legacyUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          `select (select md5(string_agg(d::text, '|' order by id)) from documents d) as documents,
                  (select md5(string_agg(c::text, '|' order by id)) from chunks c) as chunks,
                  (select count(*) from users) as users`,
        );
        return JSON.stringify(rows[0]);
      } finally {
        await client.end();
      }
    },
    async close() {
      await kv.close();
      await s3.close();
      const admin = new pg.Client({ connectionString: stack.adminUrl });
      await admin.connect();
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

export type LegacyApp = Awaited<ReturnType<typeof createLegacyApp>>;
export type { Plan };
