// `validate` (src/http/validate.ts) that also tells hono-openapi what it validates, so the request
// half of the document (body, query, path and header parameters) is generated from the very schema
// the route checks requests with: the two cannot drift. Behaviour is validate's own, untouched;
// hono-openapi only reads the metadata attached under its `uniqueSymbol` while building the document.
import type { ValidationTargets } from 'hono';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { z } from 'zod';
import { validate as checkRequest } from './validate.ts';

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return Object.assign(checkRequest(target, schema), { [uniqueSymbol]: { target, ...resolver(schema) } });
}
