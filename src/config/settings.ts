// Every setting the Worker reads, parsed once per isolate. A missing or malformed setting fails
// closed with one message naming it; no stack trace and no value ever reaches a response.
import { z } from 'zod';

const url = (what: string) => z.url({ message: `must be a URL (${what})` });

const SettingsSchema = z.object({
  ENVIRONMENT: z.enum(['development', 'test', 'production']),
  API_HOST: z.string().regex(/^[a-z0-9.-]+$/, 'must be a lower-case host name, e.g. api.example.com'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// connection string'),
  NEON_HTTP_ENDPOINT: url('local Neon SQL-over-HTTP endpoint').optional(),
  NEON_WS_PROXY: z.string().min(1).optional(),
  PINECONE_API_KEY: z.string().min(1, 'must be set'),
  PINECONE_INDEX_HOST: url('Pinecone index host'),
  S3_ENDPOINT: url('S3 / R2 endpoint'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name'),
  S3_REGION: z.string().min(1, 'must be set (R2: auto)'),
  S3_ACCESS_KEY_ID: z.string().min(1, 'must be set'),
  S3_SECRET_ACCESS_KEY: z.string().min(1, 'must be set'),
  // Signs the anonymous widget-user ids (src/services/conversations/widget-user.ts); rotating it
  // orphans every widget user's conversations.
  WIDGET_USER_SECRET: z.string().min(32, 'must be at least 32 characters (a random secret)'),
  // Optional, with defaults applied where they are used (src/embeddings/choose-embedder.ts,
  // src/http/service-deps.ts): deployments that predate them keep working.
  EMBEDDER: z
    .enum(['local', 'workers-ai', 'pinecone'], { message: 'must be local, workers-ai or pinecone' })
    .optional(),
  PINECONE_INDEX_DIMENSION: z.coerce.number().int().min(1).max(20_000).optional(),
  PINECONE_EMBEDDING_MODEL: z.string().min(1).optional(),
  CHAT_MODEL: z.string().min(1).optional(),
  CHUNK_SIZE: z.coerce.number().int().min(200).max(8_000).optional(),
  CHUNK_OVERLAP: z.coerce.number().int().min(0).max(4_000).optional(),
  // The deploy-time maintenance switch: `true` answers every tenant request 503 `maintenance`
  // without asking Postgres (the operator API's switch lives in platform_settings).
  MAINTENANCE: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  // SHA-256 hashes of operator keys (src/http/operator-auth.ts), as a JSON list; no operator API
  // when unset.
  OPERATOR_KEYS: z.string().min(1).optional(),
});

export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const parsed = new WeakMap<object, Settings>();

/** Settings from the Worker's env; throws SettingsError naming each bad setting. */
export function readSettings(env: object): Settings {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = SettingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && issue.input === undefined
        ? `${name} is missing`
        : `${name} ${issue.message}`;
    });
    throw new SettingsError(`Invalid configuration: ${problems.join('; ')}. See .dev.vars.example.`);
  }
  parsed.set(env, result.data);
  return result.data;
}
