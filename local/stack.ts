// The local stack: every cloud dependency that is not configured gets a local counterpart that
// speaks its real protocol. What the Worker needs comes back as `workerVars`, so the same code
// path runs locally and against the real services; configuration alone switches between them.

import { join, resolve } from 'node:path';
import { type PreparedDatabase, prepareDatabase, RUNTIME_ROLE } from './database.ts';
import { devOperatorKeysSetting } from './dev-keys.ts';
import { type LocalNeon, startLocalNeon } from './neon/server.ts';
import { startLocalPinecone } from './pinecone/server.ts';
import { portOr } from './ports.ts';
import { startLocalPostgres } from './postgres.ts';
import { startLocalS3 } from './s3/server.ts';

export interface StackOptions {
  /** Where local services keep data (e.g. `.bulkhead/`). */
  stateDir: string;
  /** dev: data persists between runs; test: throw-away. */
  mode: 'dev' | 'test';
  /** Real-service settings; anything missing is provided locally. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export interface LocalStack {
  /** Settings for the Worker (wrangler vars / miniflare bindings). */
  workerVars: Record<string, string>;
  /** Owner/admin URL of the application database (migrations, seeding, test fixtures). */
  adminUrl: string;
  runtimeRole: string;
  /** Present when the Neon endpoints are local: request counters for round-trip measurements. */
  neon?: LocalNeon;
  /** Which dependencies run locally. */
  local: { postgres: boolean; neon: boolean; pinecone: boolean; objects: boolean };
  stop(): Promise<void>;
}

export const LOCAL_DIMENSION = 384;
const LOCAL_PINECONE_KEY = 'pclocal-bulkhead-dev-key';
const LOCAL_S3 = { accessKeyId: 'BULKHEADLOCALKEY0001', secretAccessKey: 'bulkhead-local-secret-not-for-production' };
// Signs widget-user ids. dev: fixed, so widget users keep their conversations across restarts; test:
// a fresh one per run. Both are obviously not a production secret.
const LOCAL_WIDGET_USER_SECRET = 'bulkhead-local-widget-user-secret-not-for-production';
const testWidgetUserSecret = () =>
  `bulkhead-test-widget-user-secret-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const persistent = options.mode === 'dev';
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => options.log?.(`stop: ${error}`));
  };
  try {
    const vars: Record<string, string> = {};
    let database: PreparedDatabase;
    let neon: LocalNeon | undefined;
    if (env.DATABASE_URL) {
      database = await prepareDatabase(env.DATABASE_URL);
    } else {
      const dataDir = join(options.stateDir, 'postgres');
      const postgres = await startLocalPostgres({
        dataDir,
        persistent,
        // dev: a stable port when free, so a psql session survives restarts; tests: any free port.
        port: persistent ? await portOr(54329) : undefined,
      });
      stops.push(postgres.stop);
      if (postgres.dataDir !== resolve(dataDir)) {
        options.log?.(`  postgres data: ${postgres.dataDir} (the OS user postgres cannot enter ${options.stateDir})`);
      }
      database = await prepareDatabase(postgres.adminUrl);
    }
    vars.DATABASE_URL = database.runtimeUrl;
    // Real Neon is reached through its own endpoints; any other Postgres needs the local ones.
    if (!new URL(database.runtimeUrl).hostname.endsWith('.neon.tech')) {
      neon = await startLocalNeon({ faultControl: true });
      stops.push(neon.close);
      vars.NEON_HTTP_ENDPOINT = neon.httpEndpoint;
      vars.NEON_WS_PROXY = neon.wsProxy;
    }

    const realPinecone = env.PINECONE_API_KEY && env.PINECONE_INDEX_HOST;
    if (realPinecone) {
      vars.PINECONE_API_KEY = env.PINECONE_API_KEY as string;
      vars.PINECONE_INDEX_HOST = env.PINECONE_INDEX_HOST as string;
    } else {
      const pinecone = await startLocalPinecone({
        apiKey: LOCAL_PINECONE_KEY,
        dimension: LOCAL_DIMENSION,
        dataFile: persistent ? join(options.stateDir, 'pinecone.json') : undefined,
        faultControl: true,
      });
      stops.push(pinecone.close);
      vars.PINECONE_API_KEY = LOCAL_PINECONE_KEY;
      vars.PINECONE_INDEX_HOST = pinecone.host;
    }

    const realObjects = env.S3_ENDPOINT && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY;
    if (realObjects) {
      for (const name of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_BUCKET', 'S3_REGION']) {
        if (env[name]) vars[name] = env[name] as string;
      }
    } else {
      const s3 = await startLocalS3({
        bucket: env.S3_BUCKET ?? 'bulkhead-documents',
        region: env.S3_REGION ?? 'auto',
        credentials: [LOCAL_S3],
        dataDir: persistent ? join(options.stateDir, 'objects') : undefined,
        faultControl: true,
      });
      stops.push(s3.close);
      Object.assign(vars, {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: LOCAL_S3.accessKeyId,
        S3_SECRET_ACCESS_KEY: LOCAL_S3.secretAccessKey,
      });
    }

    vars.WIDGET_USER_SECRET =
      env.WIDGET_USER_SECRET ?? (persistent ? LOCAL_WIDGET_USER_SECRET : testWidgetUserSecret());
    // The operator API with the development operator keys (local/dev-keys.ts), unless configured.
    vars.OPERATOR_KEYS = env.OPERATOR_KEYS ?? (await devOperatorKeysSetting());

    return {
      workerVars: vars,
      adminUrl: database.adminUrl,
      runtimeRole: RUNTIME_ROLE,
      neon,
      local: { postgres: !env.DATABASE_URL, neon: Boolean(neon), pinecone: !realPinecone, objects: !realObjects },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
