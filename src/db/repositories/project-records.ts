// Projects the context can see, for resolving a request that names none.
import { projects } from '../schema/projects.ts';
import type { TenantScope } from '../tenant-scope.ts';

/** Up to two ids: enough to tell "exactly one" from "several". */
export function visibleProjectIds({ db }: TenantScope) {
  return db.select({ id: projects.id }).from(projects).limit(2);
}
