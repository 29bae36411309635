// The API tests hold the app to its OpenAPI document (src/http/openapi-document.ts): every answer a
// test receives through the harness (test/worker/api/harness.ts, test/worker/edge/harness.ts) must
// be one the document states for that operation: a documented status, a documented media type, and
// for JSON a body valid against the documented schema (@cfworker/json-schema: no eval, so it runs
// inside workerd). An answer the document does not describe fails the test that received it, so
// the document cannot drift from what the routes do.
import { Validator } from '@cfworker/json-schema';
import type { Hono } from 'hono';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { ERROR_ENVELOPE_SCHEMA } from '../../../src/http/openapi-errors.ts';

type Json = Record<string, unknown>;
export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Json;
}
interface Operation {
  summary?: string;
  responses: Record<string, ResponseSpec>;
}
interface ResponseSpec {
  description?: string;
  content?: Record<string, { schema?: Json }>;
  $ref?: string;
}

const documents = new WeakMap<Hono<AppEnv>, Promise<Document>>();

/** The document the app itself serves, fetched once per app. */
export function documentOf(app: Hono<AppEnv>, url: string, bindings: object): Promise<Document> {
  let document = documents.get(app);
  if (!document) {
    document = Promise.resolve(app.request(new URL('/openapi.json', url).href, {}, bindings)).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
      return (await res.json()) as Document;
    });
    documents.set(app, document);
  }
  return document;
}

/** Routes of the app's table without a described operation (a describe… annotation), as "GET /path". */
export function undescribedRoutes(app: Hono<AppEnv>, document: Document): string[] {
  const missing = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue; // middleware (app.use), not an endpoint
    const path = route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');
    const operation = document.paths[path]?.[route.method.toLowerCase()];
    const described = operation?.summary !== undefined && Object.keys(operation.responses ?? {}).some(isSuccess);
    if (!described) missing.add(`${route.method} ${route.path}`);
  }
  return [...missing];
}

const isSuccess = (status: string) => /^[23]\d\d$/.test(status);

function resolve<T>(document: Document, value: T): T {
  const ref = (value as { $ref?: string } | null)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  if (target === undefined) throw new Error(`the document's ${ref} points nowhere`);
  return resolve(document, target as T);
}

/** The schema with every #/components/… reference replaced by its target (the document has no cycles). */
function inline(document: Document, schema: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error('schema references nest deeper than 64: a cycle?');
  if (Array.isArray(schema)) return schema.map((item) => inline(document, item, depth + 1));
  if (schema === null || typeof schema !== 'object') return schema;
  const resolved = resolve(document, schema);
  if (resolved !== schema) return inline(document, resolved, depth + 1);
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inline(document, value, depth + 1)]));
}

const validators = new WeakMap<object, Validator>();
function validatorFor(document: Document, schema: Json): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(inline(document, schema) as Json, '2020-12', false);
    validators.set(schema, validator);
  }
  return validator;
}

/** The operation for a concrete path: literal segments beat parameters (/a/search over /a/{id}). */
function findOperation(document: Document, method: string, path: string) {
  const candidates = Object.entries(document.paths)
    .filter(([template]) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  for (const [template, item] of candidates) {
    const operation = item[method.toLowerCase()];
    if (operation) return { template, operation };
  }
  return undefined;
}

const mediaTypeOf = (res: Response) =>
  (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
const isJson = (mediaType: string) => /^application\/([\w.-]+\+)?json$/.test(mediaType);

async function bodyProblems(document: Document, schema: Json | undefined, res: Response): Promise<string[]> {
  const text = await res.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`body is not JSON: ${text.slice(0, 80)}`];
  }
  if (!schema) return [];
  const result = validatorFor(document, schema).validate(body);
  return result.valid
    ? []
    : result.errors
        .filter((error) => error.keyword !== 'properties' && error.keyword !== 'allOf' && error.keyword !== '$ref')
        .slice(0, 8)
        .map((error) => `${error.instanceLocation || '#'}: ${error.error}`);
}

/** What is wrong with `res` as an answer to `method path` by the document; empty when nothing. */
export async function conformanceProblems(document: Document, anyCaseMethod: string, url: string, res: Response) {
  const method = anyCaseMethod.toUpperCase();
  const path = new URL(url).pathname;
  if (method === 'OPTIONS') return []; // CORS preflights are answered by middleware, not operations
  const found = findOperation(document, method === 'HEAD' ? 'GET' : method, path);
  if (!found) {
    // Unknown paths and methods answer 404 / 405 in the envelope. A success here is a route the
    // document lacks: a test's own probe route, or a real route the route-table test of
    // openapi.test.ts names (it walks app.routes), so it is not judged again here.
    if (res.status < 400 || method === 'HEAD') return [];
    return bodyProblems(document, ERROR_ENVELOPE_SCHEMA as unknown as Json, res);
  }
  const where = `${method} ${found.template} → ${res.status}`;
  const declared = found.operation.responses[String(res.status)] ?? found.operation.responses.default;
  if (!declared) return [`${where}: status not in the document (it lists ${Object.keys(found.operation.responses)})`];
  const response = resolve(document, declared);
  const mediaType = mediaTypeOf(res);
  if (!response.content) {
    const text = method === 'HEAD' ? '' : await res.clone().text();
    return text === '' ? [] : [`${where}: the document says no body, got ${mediaType || 'a body'}`];
  }
  const media = response.content[mediaType];
  if (!media)
    return [`${where}: content-type ${mediaType || '(none)'}, the document says ${Object.keys(response.content)}`];
  if (method === 'HEAD' || !isJson(mediaType)) return []; // streams, HTML, downloads: status and type only
  return (await bodyProblems(document, media.schema, res)).map((problem) => `${where}: ${problem}`);
}

/** Throws, failing the test, when `res` is not an answer the document describes. */
export async function assertConformsToDocument(document: Document, method: string, url: string, res: Response) {
  const problems = await conformanceProblems(document, method, url, res);
  if (problems.length > 0) throw new Error(`answer does not match the OpenAPI document:\n  ${problems.join('\n  ')}`);
}
