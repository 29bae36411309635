// Documents as the API sees them: created with a server-made object key, found by id alone (RLS
// and the principal's projects decide what exists), paged by a (created_at, id) keyset, and moved
// through ingestion. Tenant ids come from the context; nothing here filters by tenant itself.
import { and, desc, eq, getTableColumns, gte, inArray, type SQL, sql } from 'drizzle-orm';
import { chunks, documents } from '../schema/documents.ts';
import type { TenantScope } from '../tenant-scope.ts';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentStatus = DocumentRow['status'];

export interface NewDocumentRecord {
  id: string;
  projectId: string;
  title: string;
  contentType: string;
  sizeBytes: number;
  objectKey: string | null;
  externalId: string | null;
}

export function insertDocumentRecord({ ctx, db }: TenantScope, input: NewDocumentRecord) {
  return db
    .insert(documents)
    .values({ ...input, tenantId: ctx.tenantId })
    .returning();
}

export function findDocumentById({ db }: TenantScope, documentId: string) {
  return db.select().from(documents).where(eq(documents.id, documentId));
}

export function findDocumentByExternalId({ db }: TenantScope, projectId: string, externalId: string) {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.projectId, projectId), eq(documents.externalId, externalId)));
}

/** Which of `documentIds` this context can see, with their projects (the orphan-object sweep). */
export function documentsAmong({ db }: TenantScope, documentIds: readonly string[]) {
  return db
    .select({ id: documents.id, projectId: documents.projectId })
    .from(documents)
    .where(inArray(documents.id, [...documentIds]));
}

/**
 * Holds the document's row lock until the batch commits, so concurrent batches that take it run
 * one after the other, and each later statement of a batch sees what the one before committed.
 */
export function lockDocument({ db }: TenantScope, documentId: string) {
  return db.select({ id: documents.id }).from(documents).where(eq(documents.id, documentId)).for('update');
}

/** An EXISTS over the document, for recordAccess: true only when this context can see it. */
export const documentExists = (documentId: string): SQL =>
  sql`exists (select 1 from documents where id = ${documentId}::uuid)`;

/** The document's project, for filing an audit row under it. */
export const documentProject = (documentId: string): SQL =>
  sql`(select project_id from documents where id = ${documentId}::uuid)`;

export interface DocumentCursor {
  /** created_at as Postgres printed it: full microsecond precision, unlike a JS Date. */
  createdAt: string;
  id: string;
}

/** The page's WHERE: optional project, and strictly after the cursor in (created_at desc, id desc). */
export function documentPageCondition(projectId: string | undefined, after: DocumentCursor | undefined) {
  return and(
    projectId === undefined ? undefined : eq(documents.projectId, projectId),
    after === undefined
      ? undefined
      : sql`(${documents.createdAt}, ${documents.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
  );
}

/** `limit + 1` rows, so the caller knows whether there is a next page. */
export function documentPage({ db }: TenantScope, condition: SQL | undefined, limit: number) {
  return db
    .select({ ...getTableColumns(documents), cursorAt: sql<string>`${documents.createdAt}::text` })
    .from(documents)
    .where(condition)
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(limit + 1);
}

export function setDocumentState({ db }: TenantScope, documentId: string, status: DocumentStatus) {
  return db
    .update(documents)
    .set({ status, updatedAt: sql`clock_timestamp()` })
    .where(eq(documents.id, documentId))
    .returning({ id: documents.id });
}

/** Chunks left over from a longer earlier version of the document. */
export function deleteChunksFrom({ db }: TenantScope, documentId: string, firstStaleIndex: number) {
  return db
    .delete(chunks)
    .where(and(eq(chunks.documentId, documentId), gte(chunks.chunkIndex, firstStaleIndex)))
    .returning({ id: chunks.id });
}

/** Chunks go with it (ON DELETE CASCADE on the composite foreign key). */
export function deleteDocumentRecord({ db }: TenantScope, documentId: string) {
  return db.delete(documents).where(eq(documents.id, documentId)).returning({ id: documents.id });
}

export function countDocumentChunks({ db }: TenantScope, documentId: string) {
  return db.select({ count: sql<number>`count(*)::int` }).from(chunks).where(eq(chunks.documentId, documentId));
}
