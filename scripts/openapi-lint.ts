// npm run openapi:lint: builds the OpenAPI document from the app's route table, as GET /openapi.json
// serves it, and validates it with @apidevtools/swagger-parser: the OpenAPI 3.1 schema, and every
// $ref resolving. Writes the document to .bulkhead/openapi.json for whoever wants to look at it or
// feed it to a generator. Exits non-zero on an invalid document.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createApp } from '../src/app.ts';
import { buildOpenApiDocument } from '../src/http/openapi-document.ts';

const document = await buildOpenApiDocument(createApp());
const out = join(import.meta.dirname, '..', '.bulkhead', 'openapi.json');
await mkdir(join(out, '..'), { recursive: true });
await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);

try {
  // validate() dereferences its argument in place: give it a copy.
  await SwaggerParser.validate(structuredClone(document) as never);
} catch (error) {
  console.error(`OpenAPI document invalid: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item ?? {}).length, 0);
console.log(`OpenAPI ${document.openapi} document valid: ${operations} operations (written to .bulkhead/openapi.json)`);
