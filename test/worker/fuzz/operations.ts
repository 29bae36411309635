// The operations the fuzzer calls: method, path template and the JSON Schemas of their inputs.
// From the app's OpenAPI document when it serves one (GET /openapi.json), else from the route
// schemas in src/routes/v1/schemas.ts converted to JSON Schema by zod: either way the generator
// reads one shape, so switching source changes nothing downstream.
import { z } from 'zod';
import {
  CreateDocumentBody,
  IngestBody,
  ListDocumentsQuery,
  MessageBody,
  QueryBody,
  StartConversationBody,
} from '../../../src/routes/v1/schemas.ts';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
  $ref?: string;
};

export interface Operation {
  method: string;
  /** With `{id}` where a path parameter goes. */
  path: string;
  body?: JsonSchema;
  query?: JsonSchema;
  /** Sends the widget's end-user token (x-widget-user) when the caller has one. */
  widgetUser: boolean;
}

const schema = (zod: z.ZodType) => z.toJSONSchema(zod, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** The /v1 routes as the route schemas declare them. */
export function operationsFromRouteSchemas(): Operation[] {
  return [
    { method: 'GET', path: '/v1/whoami', widgetUser: false },
    { method: 'GET', path: '/v1/projects', widgetUser: false },
    { method: 'POST', path: '/v1/ingest', body: schema(IngestBody), widgetUser: false },
    { method: 'POST', path: '/v1/query', body: schema(QueryBody), widgetUser: false },
    { method: 'POST', path: '/v1/documents', body: schema(CreateDocumentBody), widgetUser: false },
    { method: 'GET', path: '/v1/documents', query: schema(ListDocumentsQuery), widgetUser: false },
    { method: 'GET', path: '/v1/documents/{id}', widgetUser: false },
    { method: 'GET', path: '/v1/documents/{id}/download', widgetUser: false },
    { method: 'POST', path: '/v1/documents/{id}/complete', widgetUser: false },
    { method: 'DELETE', path: '/v1/documents/{id}', widgetUser: false },
    { method: 'POST', path: '/v1/conversations', body: schema(StartConversationBody), widgetUser: true },
    { method: 'GET', path: '/v1/conversations/{id}', widgetUser: true },
    { method: 'POST', path: '/v1/conversations/{id}/messages', body: schema(MessageBody), widgetUser: true },
  ];
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of an OpenAPI 3 document; local `$ref`s into components are resolved. */
export function operationsFromOpenApi(doc: OpenApiDocument): Operation[] {
  const resolve = (s: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    if (!s || depth > 8) return s;
    if (s.$ref?.startsWith('#/components/schemas/')) {
      return resolve(doc.components?.schemas?.[s.$ref.slice('#/components/schemas/'.length)], depth + 1);
    }
    if (!s.properties) return s;
    const properties = Object.fromEntries(
      Object.entries(s.properties).map(([name, p]) => [name, resolve(p, depth + 1) ?? {}]),
    );
    return { ...s, properties };
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = op.parameters ?? [];
      const queryParams = parameters.filter((p) => p.in === 'query');
      const query: JsonSchema | undefined = queryParams.length
        ? { type: 'object', properties: Object.fromEntries(queryParams.map((p) => [p.name, resolve(p.schema) ?? {}])) }
        : undefined;
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      operations.push({
        method: method.toUpperCase(),
        // Whatever the parameter is called, the fuzzer fills one id slot.
        path: path.replace(/\{[^}]+\}/g, '{id}'),
        body,
        query,
        widgetUser: parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'x-widget-user'),
      });
    }
  }
  return operations;
}
