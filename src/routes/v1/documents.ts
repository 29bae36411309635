// /v1/documents: create (presigned upload), complete (ingest), list, read, download, delete.
// Secret-key routes: a widget's publishable key lacks the documents scopes and gets 403. Creating
// (a presigned upload) and completing are uploads: refused, audited, while `uploads` is off.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { idempotent } from '../../http/idempotency.ts';
import { serviceCall } from '../../http/service-deps.ts';
import { validate } from '../../http/validate.ts';
import { createDocument, UPLOADS_DISABLED } from '../../services/documents/create-document.ts';
import { deleteDocument } from '../../services/documents/delete-document.ts';
import { listDocuments } from '../../services/documents/list-documents.ts';
import { getDocument, presignDocumentDownload } from '../../services/documents/read-documents.ts';
import { completeDocument } from '../../services/ingestion/complete-document.ts';
import { requireAuditedFeature, requireAuditedScope } from './guards.ts';
import { CreateDocumentBody, IdParam, ListDocumentsQuery } from './schemas.ts';

const uploadsFeature = requireAuditedFeature('uploads', UPLOADS_DISABLED);

export const documentRoutes = new Hono<AppEnv>()
  .post(
    '/',
    requireAuditedScope('documents:write'),
    uploadsFeature,
    idempotent(),
    validate('json', CreateDocumentBody),
    async (c) => {
      const created = await createDocument({ ...serviceCall(c), input: c.req.valid('json') });
      return c.json(created, 201);
    },
  )
  .get('/', requireAuditedScope('documents:read'), validate('query', ListDocumentsQuery), async (c) => {
    return c.json(await listDocuments({ ...serviceCall(c), input: c.req.valid('query') }));
  })
  .post(
    '/:id/complete',
    requireAuditedScope('documents:write'),
    uploadsFeature,
    idempotent(),
    validate('param', IdParam),
    async (c) => {
      const result = await completeDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } });
      return c.json(result, 202);
    },
  )
  .get('/:id', requireAuditedScope('documents:read'), validate('param', IdParam), async (c) => {
    return c.json(await getDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } }));
  })
  .get('/:id/download', requireAuditedScope('documents:read'), validate('param', IdParam), async (c) => {
    return c.json(await presignDocumentDownload({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } }));
  })
  .delete('/:id', requireAuditedScope('documents:write'), validate('param', IdParam), async (c) => {
    await deleteDocument({ ...serviceCall(c), input: { documentId: c.req.valid('param').id } });
    return c.body(null, 204);
  });
