// Opens what a run talks to, from the plan and the environment (the plan holds only variable
// names). The legacy database is read through a read-only session, checked before the first
// read: the source is never written, so it is always there to go back to.
import { type Index, Pinecone } from '@pinecone-database/pinecone';
import { AwsClient } from 'aws4fetch';
import pg from 'pg';
import type { Plan } from './plan.ts';

export type Env = Record<string, string | undefined>;

export class MissingSetting extends Error {
  override name = 'MissingSetting';
}

export function setting(env: Env, name: string, field: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingSetting(`${name} (plan field ${field}) is not set`);
  return value;
}

/** The legacy database: select statements only, on a session Postgres holds read-only. */
export interface SourceDb {
  read<Row extends object>(text: string, values?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function openSource(plan: Plan, env: Env): Promise<SourceDb> {
  const client = new pg.Client({
    connectionString: setting(env, plan.source.postgres.urlEnv, 'source.postgres.urlEnv'),
    options: '-c default_transaction_read_only=on',
    application_name: `bulkhead-migrate-legacy ${plan.id}`,
  });
  await client.connect();
  const { rows } = await client.query<{ transaction_read_only: string }>('show transaction_read_only');
  if (rows[0]?.transaction_read_only !== 'on') {
    await client.end();
    throw new Error('the legacy database session is not read-only; refusing to read through it');
  }
  // One connection, one statement at a time: callers that fetch vector pages concurrently queue here
  // (pg deprecates overlapping queries on one client).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async read<Row extends object>(text: string, values: unknown[] = []) {
      // A second wall next to the session setting: nothing but a select leaves this module.
      if (!/^\s*select\b/i.test(text)) throw new Error('the legacy database is only ever read');
      const result = queue.then(() => client.query<Row>(text, values));
      queue = result.catch(() => undefined);
      return (await result).rows;
    },
    close: () => client.end(),
  };
}

/** The Bulkhead database as the runtime role: every write runs under RLS, in a tenant's context. */
export async function openTarget(plan: Plan, env: Env): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: setting(env, plan.target.databaseUrlEnv, 'target.databaseUrlEnv'),
    application_name: `bulkhead-migrate-legacy ${plan.id}`,
  });
  await client.connect();
  return client;
}

export const adminUrlOf = (plan: Plan, env: Env) => setting(env, plan.target.adminUrlEnv, 'target.adminUrlEnv');

export function targetIndex(plan: Plan, env: Env): Index {
  return new Pinecone({
    apiKey: setting(env, plan.target.pineconeApiKeyEnv, 'target.pineconeApiKeyEnv'),
  }).index({ host: setting(env, plan.target.pineconeHostEnv, 'target.pineconeHostEnv') });
}

export function legacyIndex(plan: Plan, env: Env): Index | undefined {
  const vectors = plan.source.vectors;
  if (!vectors) return undefined;
  return new Pinecone({ apiKey: setting(env, vectors.apiKeyEnv, 'source.vectors.apiKeyEnv') }).index({
    host: setting(env, vectors.hostEnv, 'source.vectors.hostEnv'),
  });
}

export interface Bucket {
  client: AwsClient;
  endpoint: string;
  name: string;
  /** Path-style: works for R2, S3 and the local endpoint alike. */
  url: string;
}

const bucketOf = (endpoint: string, name: string, client: AwsClient): Bucket => {
  const base = endpoint.replace(/\/+$/, '');
  return { client, endpoint: base, name, url: `${base}/${name}` };
};

export function targetBucket(plan: Plan, env: Env): Bucket {
  const t = plan.target;
  const client = new AwsClient({
    accessKeyId: setting(env, t.s3AccessKeyIdEnv, 'target.s3AccessKeyIdEnv'),
    secretAccessKey: setting(env, t.s3SecretAccessKeyEnv, 'target.s3SecretAccessKeyEnv'),
    service: 's3',
    region: env[t.s3RegionEnv] || 'auto',
    retries: 2,
  });
  return bucketOf(
    setting(env, t.s3EndpointEnv, 'target.s3EndpointEnv'),
    setting(env, t.s3BucketEnv, 'target.s3BucketEnv'),
    client,
  );
}

export function legacyBucket(plan: Plan, env: Env): Bucket | undefined {
  const objects = plan.source.objects;
  if (!objects) return undefined;
  const client = new AwsClient({
    accessKeyId: setting(env, objects.accessKeyIdEnv, 'source.objects.accessKeyIdEnv'),
    secretAccessKey: setting(env, objects.secretAccessKeyEnv, 'source.objects.secretAccessKeyEnv'),
    service: 's3',
    region: objects.region,
    retries: 2,
  });
  return bucketOf(setting(env, objects.endpointEnv, 'source.objects.endpointEnv'), objects.bucket, client);
}

/** Path-style object URL, each key segment percent-encoded. */
export const objectUrl = (bucket: Bucket, key: string, query = '') =>
  `${bucket.url}/${key.split('/').map(encodeURIComponent).join('/')}${query}`;
