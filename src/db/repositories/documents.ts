// Documents of the request's tenant. Reads carry no tenant filter of their own: RLS is the wall,
// and the tests prove it holds when a WHERE clause is missing. Writes take tenant_id from the
// context; the input types have no field for it.
import { and, desc, eq } from 'drizzle-orm';
import { documents } from '../schema/documents.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface NewDocument {
  projectId: string;
  title: string;
  contentType: string;
  sizeBytes?: number;
  /** The client's own id: sending it again finds the same document. */
  externalId?: string | null;
}

export function insertDocument({ ctx, db }: TenantScope, input: NewDocument) {
  return db
    .insert(documents)
    .values({
      tenantId: ctx.tenantId,
      projectId: input.projectId,
      title: input.title,
      contentType: input.contentType,
      sizeBytes: input.sizeBytes ?? 0,
      externalId: input.externalId ?? null,
    })
    .returning();
}

export function findDocument({ db }: TenantScope, projectId: string, documentId: string) {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.projectId, projectId), eq(documents.id, documentId)));
}

export function listDocuments({ db }: TenantScope, projectId: string, limit = 50) {
  return db
    .select()
    .from(documents)
    .where(eq(documents.projectId, projectId))
    .orderBy(desc(documents.createdAt))
    .limit(limit);
}

export function setDocumentStatus(
  { db }: TenantScope,
  documentId: string,
  status: (typeof documents.$inferSelect)['status'],
) {
  return db
    .update(documents)
    .set({ status, updatedAt: new Date() })
    .where(eq(documents.id, documentId))
    .returning({ id: documents.id, status: documents.status });
}

export function deleteDocument({ db }: TenantScope, documentId: string) {
  return db.delete(documents).where(eq(documents.id, documentId)).returning({ id: documents.id });
}
