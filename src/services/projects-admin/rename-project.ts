// PATCH /v1/projects/{id}: a new name. A project-limited admin may rename its own projects; another
// tenant's project, or one out of reach, is 404 like a missing one (RLS finds no row to update).
import { recordAccess } from '../../db/repositories/audit-access.ts';
import {
  projectExists,
  renameProject as renameProjectRecord,
  visibleProjectId,
} from '../../db/repositories/project-admin-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { assertProjectInScope } from '../../stores/project-scope.ts';
import { accessEntry } from '../audit.ts';
import type { ProjectView } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';

export async function renameProject({
  ctx,
  deps,
  input,
}: ServiceCall<{ projectId: string; name: string }>): Promise<ProjectView> {
  assertProjectInScope(ctx, input.projectId);
  const entry = accessEntry(ctx, deps, {
    action: 'project.rename',
    targetType: 'project',
    targetId: input.projectId,
    projectOf: visibleProjectId(input.projectId),
    detail: { name: input.name },
  });
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    renameProjectRecord(scope, input.projectId, input.name),
    recordAccess(scope, entry, projectExists(input.projectId)),
  ]);
  const row = rows[0];
  if (!row) throw notFound();
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString() };
}
