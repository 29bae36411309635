// Projects as the admin API changes them. A project is found by id under RLS (and the principal's
// project reach), so another tenant's project is simply not there.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { documents } from '../schema/documents.ts';
import { projects } from '../schema/projects.ts';
import type { TenantScope } from '../tenant-scope.ts';

const projectColumns = { id: projects.id, name: projects.name, createdAt: projects.createdAt };

export function insertProject({ ctx, db }: TenantScope, input: { id: string; name: string }) {
  return db
    .insert(projects)
    .values({ tenantId: ctx.tenantId, id: input.id, name: input.name })
    .returning(projectColumns);
}

export function renameProject({ db }: TenantScope, id: string, name: string) {
  return db.update(projects).set({ name }).where(eq(projects.id, id)).returning(projectColumns);
}

export function findProject({ db }: TenantScope, id: string) {
  return db.select(projectColumns).from(projects).where(eq(projects.id, id)).limit(1);
}

export const projectExists = (id: string): SQL => sql`exists (select 1 from projects where id = ${id}::uuid)`;

/** The project's own id when this caller sees it, for filing an audit row under it. */
export const visibleProjectId = (id: string): SQL => sql`(select id from projects where id = ${id}::uuid)`;

/** Deletes the project only while it holds no document: a document's vectors and objects are
 * removed by its own delete, never by a cascade that knows nothing of them. */
export function deleteEmptyProject({ db }: TenantScope, id: string) {
  return db
    .delete(projects)
    .where(
      and(eq(projects.id, id), sql`not exists (select 1 from ${documents} where ${documents.projectId} = ${id}::uuid)`),
    )
    .returning({ id: projects.id });
}

export function countProjectDocuments({ db }: TenantScope, id: string) {
  return db.select({ documents: sql<number>`count(*)::int` }).from(documents).where(eq(documents.projectId, id));
}

/** A batch of the project's document ids, for a forced delete to remove one by one. */
export function projectDocumentIds({ db }: TenantScope, id: string, limit: number) {
  return db.select({ id: documents.id }).from(documents).where(eq(documents.projectId, id)).limit(limit);
}
