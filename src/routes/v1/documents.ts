// /v1/documents: create (presigned upload), complete (ingest), list, read, download, delete.
// Secret-key routes: a widget's publishable key lacks the documents scopes and gets 403. Creating
// (a presigned upload) and completing are uploads: refused, audited, while `uploads` is off.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { describeTenantRoute, json, noContent } from '../../http/openapi-describe.ts';
import { validate } from '../../http/openapi-validate.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { createDocument, UPLOADS_DISABLED } from '../../services/documents/create-document.ts';
import { deleteDocument } from '../../services/documents/delete-document.ts';
import { listDocuments } from '../../services/documents/list-documents.ts';
import { getDocument, presignDocumentDownload } from '../../services/documents/read-documents.ts';
import { completeDocument } from '../../services/ingestion/complete-document.ts';
import { requireAuditedFeature, requireAuditedScope } from './guards.ts';
import { CreatedDocument, Document, DocumentPage, Download, IngestionResult } from './response-schemas.ts';
import { CreateDocumentBody, IdParam, ListDocumentsQuery } from './schemas.ts';

const uploadsFeature = requireAuditedFeature('uploads', UPLOADS_DISABLED);
const tags = ['documents'];

export const documentRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeTenantRoute({
      summary: 'Create a document and a presigned upload URL for its content',
      description:
        'PUT the file to `upload.url` with exactly `upload.headers`, then POST /v1/documents/{id}/complete. Needs documents:write and the uploads feature.',
      tags,
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      responses: { 201: json('The document, awaiting its upload', CreatedDocument) },
    }),
    requireAuditedScope('documents:write'),
    uploadsFeature,
    idempotent(),
    validate('json', CreateDocumentBody),
    async (c) => {
      const created = await createDocument({ ...serviceCall(c), input: c.req.valid('json') });
      return c.json(created, 201);
    },
  )
  .get(
    '/',
    describeTenantRoute({
      summary: 'List documents, newest first, a page at a time',
      tags,
      credentials: ['secretKey', 'userJwt'],
      responses: { 200: json('A page of documents', DocumentPage) },
    }),
    requireAuditedScope('documents:read'),
    validate('query', ListDocumentsQuery),
    async (c) => {
      return c.json(await listDocuments({ ...serviceCall(c), input: c.req.valid('query') }));
    },
  )
  .post(
    '/:id/complete',
    describeTenantRoute({
      summary: 'Ingest an uploaded document: extract, chunk, embed and index it',
      description:
        'After the PUT to the presigned URL. 409 conflict while the object is not there yet; 415 for a content type ingestion cannot read.',
      tags,
      credentials: ['secretKey', 'userJwt'],
      idempotent: true,
      errors: [415],
      responses: { 202: json('Where ingestion stands', IngestionResult) },
    }),
    requireAuditedScope('documents:write'),
    uploadsFeature,
    idempotent(),
    validate('param', IdParam),
    async (c) => {
      const result = await completeDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } });
      return c.json(result, 202);
    },
  )
  .get(
    '/:id',
    describeTenantRoute({
      summary: 'A document and its ingestion state',
      tags,
      credentials: ['secretKey', 'userJwt'],
      responses: { 200: json('The document', Document) },
    }),
    requireAuditedScope('documents:read'),
    validate('param', IdParam),
    async (c) => {
      return c.json(await getDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } }));
    },
  )
  .get(
    '/:id/download',
    describeTenantRoute({
      summary: 'A short-lived presigned GET of the document’s content',
      tags,
      credentials: ['secretKey', 'userJwt'],
      responses: { 200: json('The presigned download', Download) },
    }),
    requireAuditedScope('documents:read'),
    validate('param', IdParam),
    async (c) => {
      return c.json(
        await presignDocumentDownload({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } }),
      );
    },
  )
  .delete(
    '/:id',
    describeTenantRoute({
      summary: 'Delete a document, its chunks, vectors and object',
      tags,
      credentials: ['secretKey', 'userJwt'],
      responses: { 204: noContent('Deleted') },
    }),
    requireAuditedScope('documents:write'),
    validate('param', IdParam),
    async (c) => {
      await deleteDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } });
      return c.body(null, 204);
    },
  );
