// Two (or more) fresh tenants per test file, provisioned the way configs/tenants does it (a registry
// with hashed keys) and seeded in Postgres as the owner, behind the whole app: every request goes
// through the real edge chain and the real /v1 routes against the local stack.
import { env } from 'cloudflare:workers';
import type { Hono } from 'hono';
import { createApp } from '../../../src/app.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { mintApiKey } from '../../../src/tenancy/api-key-format.ts';
import { createTenantRegistry } from '../../../src/tenancy/registry.ts';
import { admin } from '../db/fixtures.ts';
import { assertConformsToDocument, documentOf } from './openapi-conformance.ts';

export type KeyName = 'secret' | 'publishable' | 'chatOnly' | 'readOnly';

export interface TestTenant {
  id: string;
  slug: string;
  origin: string;
  /** Two projects: the publishable key reaches only the first. */
  projectIds: [string, string];
  keys: Record<KeyName, string>;
  /** A string unique to this tenant, planted in its content, that must never reach another. */
  canary: string;
}

const SCOPES: Record<KeyName, string[]> = {
  secret: ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin'],
  publishable: ['chat', 'retrieval'],
  chatOnly: ['chat'],
  readOnly: ['documents:read'],
};

/** The limits createHarness provisions. */
export const HARNESS_LIMITS = {
  requestsPerMinute: 100_000,
  burst: 10_000,
  maxDocuments: 1000,
  maxUploadBytes: 2_000_000,
  maxTopK: 20,
};

async function newTenant() {
  const id = crypto.randomUUID();
  const slug = `t${id.slice(0, 8)}`;
  const projectIds: [string, string] = [crypto.randomUUID(), crypto.randomUUID()];
  const minted = {} as Record<KeyName, Awaited<ReturnType<typeof mintApiKey>>>;
  for (const name of Object.keys(SCOPES) as KeyName[]) {
    minted[name] = await mintApiKey(name === 'publishable' ? 'publishable' : 'secret');
  }
  const tenant: TestTenant = {
    id,
    slug,
    origin: `https://${slug}.example`,
    projectIds,
    keys: Object.fromEntries(Object.entries(minted).map(([name, key]) => [name, key.key])) as Record<KeyName, string>,
    canary: `canary${id.replace(/-/g, '')}`,
  };
  const provisioned = {
    id,
    slug,
    name: `Test ${slug}`,
    status: 'active',
    allowedOrigins: [tenant.origin],
    features: { chat: true, uploads: true, citations: true },
    limits: HARNESS_LIMITS,
    projects: projectIds.map((projectId, i) => ({ id: projectId, name: `project ${i}` })),
    apiKeys: (Object.keys(SCOPES) as KeyName[]).map((name) => ({
      id: minted[name].keyId,
      kind: name === 'publishable' ? 'publishable' : 'secret',
      hash: minted[name].hash,
      scopes: SCOPES[name],
      projects: name === 'publishable' ? [projectIds[0]] : 'all',
      revoked: false,
    })),
  };
  return { tenant, provisioned };
}

export interface Harness {
  tenants: TestTenant[];
  app: Hono<AppEnv>;
}

/** `count` tenants in Postgres (settings, projects, key hashes), and an app that reads them there. */
export async function createHarness(count = 2): Promise<Harness> {
  const made = await Promise.all(Array.from({ length: count }, newTenant));
  createTenantRegistry({ tenants: made.map((m) => m.provisioned) }); // the registry's own checks
  const sql = admin();
  // Keys live in Postgres (resolve_api_key), hashes only, as scripts/db/seeding.ts writes them.
  await sql.transaction(
    made.flatMap(({ tenant, provisioned }) => [
      sql`insert into tenants (id, slug, name, allowed_origins, features, limits)
          values (${tenant.id}, ${tenant.slug}, ${tenant.slug}, ${provisioned.allowedOrigins},
                  ${JSON.stringify(provisioned.features)}, ${JSON.stringify(provisioned.limits)})`,
      sql`insert into projects (tenant_id, id, name) values (${tenant.id}, ${tenant.projectIds[0]}, 'first'), (${tenant.id}, ${tenant.projectIds[1]}, 'second')`,
      ...provisioned.apiKeys.flatMap((key) => [
        sql`insert into api_keys (tenant_id, lookup_id, secret_hash, kind, scopes, all_projects)
            values (${tenant.id}, ${key.id}, ${key.hash}, ${key.kind}, ${key.scopes}, ${key.projects === 'all'})`,
        ...(key.projects === 'all'
          ? []
          : [
              sql`insert into api_key_projects (tenant_id, api_key_id, project_id)
                  select ${tenant.id}, id, ${tenant.projectIds[0]} from api_keys where tenant_id = ${tenant.id} and lookup_id = ${key.id}`,
            ]),
      ]),
    ]),
  );
  // Database-backed, as the Worker runs: tenant settings come from these rows (the registry above
  // only checked the document).
  const app = createApp();
  return { tenants: made.map((m) => m.tenant), app };
}

export interface ApiRequest {
  method?: string;
  key?: KeyName | 'none';
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to the tenant's own origin for the publishable key (browsers send it), none otherwise. */
  origin?: string;
  executionCtx?: ExecutionContext;
  /** Overrides of the Worker's bindings and settings, e.g. { CHAT_MODEL, AI }. */
  bindings?: Record<string, unknown>;
}

/** A request through the whole app; its answer must be one the OpenAPI document describes, else it throws. */
export async function api(harness: Harness, tenant: TestTenant, path: string, request: ApiRequest = {}) {
  const key = request.key ?? 'secret';
  const headers: Record<string, string> = { ...request.headers };
  if (key !== 'none') headers['x-api-key'] = tenant.keys[key];
  const origin = request.origin ?? (key === 'publishable' ? tenant.origin : undefined);
  if (origin) headers.origin = origin;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  const init = { method: request.method ?? (body ? 'POST' : 'GET'), headers, body };
  const bindings = request.bindings ? { ...env, ...request.bindings } : env;
  const url = `https://${env.API_HOST}${path}`;
  const res = await harness.app.request(url, init, bindings, request.executionCtx);
  await assertConformsToDocument(await documentOf(harness.app, url, env), init.method, url, res);
  return res;
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Status and error code/message: what must be identical between "not yours" and "not there". */
export async function outcome(res: Response) {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {};
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}
