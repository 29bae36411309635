// POST /v1/projects: a new project of the tenant. Tenant-wide admins only: a project-limited
// principal could not reach the project it made (its reach is fixed by its key or its roles).
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { insertProject } from '../../db/repositories/project-admin-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { assertTenantWide } from '../api-keys/tenant-wide-admin.ts';
import { auditEntry } from '../audit.ts';
import type { ProjectView } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';

export async function createProject({ ctx, deps, input }: ServiceCall<{ name: string }>): Promise<ProjectView> {
  assertTenantWide(ctx);
  const id = crypto.randomUUID();
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    insertProject(scope, { id, name: input.name }),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, { action: 'project.create', projectId: id, targetType: 'project', targetId: id }),
    ),
  ]);
  const row = rows[0] as NonNullable<(typeof rows)[0]>;
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString() };
}
