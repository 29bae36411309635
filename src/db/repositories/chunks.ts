// Chunks: the text retrieval returns. The vector store yields chunk ids; their text is read here,
// under RLS, so an id from the wrong namespace would still return nothing.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { chunks } from '../schema/documents.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface NewChunk {
  chunkIndex: number;
  content: string;
  tokenCount?: number;
}

/** Multi-row upsert (COPY is refused under RLS): re-ingesting a document replaces its chunks' text. */
export function upsertChunks({ ctx, db }: TenantScope, projectId: string, documentId: string, rows: NewChunk[]) {
  return db
    .insert(chunks)
    .values(
      rows.map((row) => ({
        tenantId: ctx.tenantId,
        projectId,
        documentId,
        chunkIndex: row.chunkIndex,
        content: row.content,
        tokenCount: row.tokenCount ?? 0,
      })),
    )
    .onConflictDoUpdate({
      target: [chunks.tenantId, chunks.projectId, chunks.documentId, chunks.chunkIndex],
      set: { content: sql`excluded.content`, tokenCount: sql`excluded.token_count` },
    })
    .returning({ id: chunks.id, chunkIndex: chunks.chunkIndex });
}

export function chunksOfDocument({ db }: TenantScope, projectId: string, documentId: string) {
  return db
    .select()
    .from(chunks)
    .where(and(eq(chunks.projectId, projectId), eq(chunks.documentId, documentId)))
    .orderBy(asc(chunks.chunkIndex));
}

export function chunksByIds({ db }: TenantScope, projectId: string, ids: string[]) {
  return db
    .select()
    .from(chunks)
    .where(and(eq(chunks.projectId, projectId), inArray(chunks.id, ids)));
}
