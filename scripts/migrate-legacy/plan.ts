// The plan file: read, checked against configs/migration/plan.schema.json (every error names its
// field), defaults filled in. The types below are what the schema accepts after defaults.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';

export const PLAN_SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'configs', 'migration', 'plan.schema.json');

export type Unmatched = 'refuse' | 'skip';

export interface TenantRef {
  /** Set for a tenant that exists already (with projectId); omitted, the kit provisions it. */
  id?: string;
  projectId?: string;
  slug: string;
  name: string;
  projectName: string;
}

export interface ChunkColumns {
  table: string;
  document: string;
  index: string;
  text: string;
}

export interface SourceTable {
  name: string;
  key: string;
  owner: string | null;
  title: string;
  text: string;
  metadata?: string;
  createdAt?: string;
  chunks?: ChunkColumns;
}

export interface VectorSource {
  hostEnv: string;
  apiKeyEnv: string;
  namespace: string;
  table: string;
  ownerKey: string;
  documentKey: string;
  chunkKey: string;
  model: string;
  unmatched: Unmatched;
}

export interface ObjectSource {
  endpointEnv: string;
  bucket: string;
  region: string;
  accessKeyIdEnv: string;
  secretAccessKeyEnv: string;
  pattern: string;
  table: string;
  unmatched: Unmatched;
}

export interface CacheSource {
  kind: 'cloudflare-kv';
  apiBaseEnv?: string;
  accountId: string;
  namespaceId: string;
  apiTokenEnv: string;
  patterns: string[];
}

type NullOwner = 'refuse' | TenantRef;
export type OwnerMapping =
  | { mapping: 'one-tenant-per-user'; slug: string; name: string; projectName: string; nullOwner: NullOwner }
  | { mapping: 'single-tenant'; tenant: TenantRef; nullOwner: NullOwner }
  | { mapping: 'explicit'; tenants: TenantRef[]; assign: Record<string, string>; nullOwner: NullOwner };

export interface Plan {
  id: string;
  batchSize: number;
  sampleSize: number;
  source: {
    postgres: { urlEnv: string };
    owners?: { table: string; key: string; label?: string };
    tables: SourceTable[];
    vectors?: VectorSource;
    objects?: ObjectSource;
    cache?: CacheSource;
  };
  owners: OwnerMapping;
  tenantDefaults: { allowedOrigins: string[]; features: Record<string, boolean>; limits: Record<string, number> };
  target: {
    adminUrlEnv: string;
    databaseUrlEnv: string;
    pineconeHostEnv: string;
    pineconeApiKeyEnv: string;
    s3EndpointEnv: string;
    s3BucketEnv: string;
    s3RegionEnv: string;
    s3AccessKeyIdEnv: string;
    s3SecretAccessKeyEnv: string;
    embedder: 'local';
    dimension: number;
  };
}

export class PlanError extends Error {
  override name = 'PlanError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`the plan is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

let validator: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

async function compiled() {
  if (validator) return validator;
  const schema: unknown = JSON.parse(await readFile(PLAN_SCHEMA_FILE, 'utf8'));
  // useDefaults fills the documented defaults in, except inside oneOf (Ajv ignores those there):
  // withOwnerDefaults does the owners section.
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  validator = ajv.compile(schema as object);
  return validator;
}

/** The plan with defaults, or PlanError listing each problem as `field: message`. */
export async function parsePlan(document: unknown): Promise<Plan> {
  const validate = await compiled();
  const copy: unknown = structuredClone(document);
  if (!validate(copy)) {
    const errors = (validate.errors ?? []) as Array<{ instancePath: string; message?: string; params: object }>;
    throw new PlanError(
      errors.map((e) => `${fieldName(e.instancePath)}: ${e.message ?? 'is not valid'} ${detail(e.params)}`.trim()),
    );
  }
  const plan = withOwnerDefaults(copy as Plan);
  const crossChecks = planProblems(plan);
  if (crossChecks.length > 0) throw new PlanError(crossChecks);
  return plan;
}

export async function readPlan(file: string): Promise<Plan> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PlanError([`${file}: ${(error as Error).message}`]);
  }
  return parsePlan(document);
}

function withOwnerDefaults(plan: Plan): Plan {
  const refDefaults = (ref: TenantRef): TenantRef => ({ ...ref, projectName: ref.projectName ?? 'Default' });
  const owners = { ...plan.owners, nullOwner: plan.owners.nullOwner ?? 'refuse' } as OwnerMapping;
  if (owners.nullOwner !== 'refuse') owners.nullOwner = refDefaults(owners.nullOwner);
  if (owners.mapping === 'one-tenant-per-user') {
    owners.slug ??= 'user-{owner}';
    owners.name ??= '{label}';
    owners.projectName ??= 'Default';
  } else if (owners.mapping === 'single-tenant') {
    owners.tenant = refDefaults(owners.tenant);
  } else {
    owners.tenants = owners.tenants.map(refDefaults);
  }
  return { ...plan, owners };
}

const fieldName = (pointer: string) => (pointer === '' ? '(plan)' : pointer.slice(1).replaceAll('/', '.'));
const detail = (params: object) => {
  const values = Object.values(params).filter((v) => typeof v === 'string' && v !== '');
  return values.length > 0 ? `(${values.join(', ')})` : '';
};

/** What JSON Schema cannot say: references between fields. */
function planProblems(plan: Plan): string[] {
  const problems: string[] = [];
  const tables = new Map(plan.source.tables.map((t, i) => [t.name, i]));
  if (tables.size !== plan.source.tables.length) problems.push('source.tables: a table is listed twice');
  for (const [field, table] of [
    ['source.vectors.table', plan.source.vectors?.table],
    ['source.objects.table', plan.source.objects?.table],
  ] as const) {
    if (table !== undefined && !tables.has(table)) problems.push(`${field}: names no table of source.tables`);
  }
  const vectors = plan.source.vectors;
  if (vectors) {
    const table = plan.source.tables[tables.get(vectors.table) ?? -1];
    if (table && !table.chunks && vectors.model !== embedderId(plan)) {
      // Re-embedding needs no legacy chunk boundaries; copying does (vector ids are per chunk).
    } else if (table && !table.chunks) {
      problems.push(
        `source.tables.${tables.get(vectors.table)}.chunks: copying vectors (model ${vectors.model} is the target embedder's) needs the legacy chunk table, so vector ids keep their chunks`,
      );
    }
  }
  const mapping = plan.owners;
  if (mapping.mapping === 'explicit') {
    const slugs = new Set(mapping.tenants.map((t) => t.slug));
    for (const [owner, slug] of Object.entries(mapping.assign)) {
      if (!slugs.has(slug)) problems.push(`owners.assign.${owner}: names no tenant of owners.tenants`);
    }
  }
  return problems;
}

/** How the target embedder names itself (src/embeddings/local-embedder.ts). */
export const embedderId = (plan: Plan) => `local-lexical-${plan.target.dimension}`;
