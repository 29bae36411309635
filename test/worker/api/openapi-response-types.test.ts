// The documented response schemas (src/routes/v1/response-schemas.ts) have the fields of the routes'
// own answers, checked by the type checker (npm run typecheck): each /v1 success body as hono/client
// infers it from the handler's c.json(...) must have exactly the schema's field paths, so a field
// added to a service's answer without the document (or the reverse) fails the build before any test
// runs. Field values are the runtime check's (openapi-conformance.ts): the services type some of them
// wider than they are (a presigned URL's method is 'PUT' | 'GET').
import type { hc, InferResponseType } from 'hono/client';
import type { StatusCode } from 'hono/utils/http-status';
import { expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AppType } from '../../../src/app.ts';
import type * as Documented from '../../../src/routes/v1/response-schemas.ts';

type V1 = ReturnType<typeof hc<AppType>>['v1'];
/** Every field path of a JSON body: `a`, `a.b`, array items under their array's name. */
type Paths<T> = T extends string | number | boolean | null // branded ids are strings too
  ? never
  : T extends readonly (infer Item)[]
    ? Paths<Item>
    : T extends object
      ? { [K in keyof T & string]-?: K | `${K}.${Paths<NonNullable<T[K]>>}` }[keyof T & string]
      : never;
type Answer<Endpoint, Status extends StatusCode> = Paths<InferResponseType<Endpoint, Status>>;
type Schema<T extends z.ZodType> = Paths<z.output<T>>;

it('each /v1 success body has its documented schema’s fields, no more, no fewer', () => {
  expectTypeOf<Answer<V1['whoami']['$get'], 200>>().toEqualTypeOf<Schema<typeof Documented.WhoAmI>>();
  expectTypeOf<Answer<V1['projects']['$get'], 200>>().toEqualTypeOf<Schema<typeof Documented.ProjectList>>();
  expectTypeOf<Answer<V1['documents']['$post'], 201>>().toEqualTypeOf<Schema<typeof Documented.CreatedDocument>>();
  expectTypeOf<Answer<V1['documents']['$get'], 200>>().toEqualTypeOf<Schema<typeof Documented.DocumentPage>>();
  expectTypeOf<Answer<V1['documents'][':id']['$get'], 200>>().toEqualTypeOf<Schema<typeof Documented.Document>>();
  expectTypeOf<Answer<V1['documents'][':id']['download']['$get'], 200>>().toEqualTypeOf<
    Schema<typeof Documented.Download>
  >();
  expectTypeOf<Answer<V1['documents'][':id']['complete']['$post'], 202>>().toEqualTypeOf<
    Schema<typeof Documented.IngestionResult>
  >();
  expectTypeOf<Answer<V1['ingest']['$post'], 201>>().toEqualTypeOf<Schema<typeof Documented.IngestionResult>>();
  expectTypeOf<Answer<V1['query']['$post'], 200>>().toEqualTypeOf<Schema<typeof Documented.RetrievalResult>>();
  expectTypeOf<Answer<V1['conversations']['$post'], 201>>().toEqualTypeOf<
    Schema<typeof Documented.StartedConversation>
  >();
  expectTypeOf<Answer<V1['conversations'][':id']['$get'], 200>>().toEqualTypeOf<
    Schema<typeof Documented.ConversationWithMessages>
  >();
  expectTypeOf<Answer<V1['conversations'][':id']['messages']['$post'], 201>>().toEqualTypeOf<
    Schema<typeof Documented.Turn>
  >();
});
