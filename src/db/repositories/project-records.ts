// Projects the context can see: for resolving a request that names none, and for GET /v1/projects.
import { asc } from 'drizzle-orm';
import { projects } from '../schema/projects.ts';
import type { TenantScope } from '../tenant-scope.ts';

/** Up to two ids: enough to tell "exactly one" from "several". */
export function visibleProjectIds({ db }: TenantScope) {
  return db.select({ id: projects.id }).from(projects).limit(2);
}

/** Every project the context can see (RLS decides, with the principal's project reach), oldest first. */
export function visibleProjects({ db }: TenantScope) {
  return db
    .select({ id: projects.id, name: projects.name, createdAt: projects.createdAt })
    .from(projects)
    .orderBy(asc(projects.createdAt), asc(projects.id))
    .limit(MAX_LISTED_PROJECTS);
}

/** A tenant has a handful of projects; the list is capped rather than paginated. */
export const MAX_LISTED_PROJECTS = 1000;
