// "A tenant created on signup": one operator call provisions everything a customer needs to start,
// in one transaction under the new tenant's own context: the tenant row with its settings, a
// default project, a first secret key (every scope, every project; shown once, only its hash
// stored) and the audit row. A taken slug is a 409; nothing is half-made.

import { violatedUniqueConstraint } from '../../db/postgres-errors.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { insertProject } from '../../db/repositories/project-admin-records.ts';
import { insertTenantRecord, type NewTenantRow } from '../../db/repositories/tenant-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError } from '../../domain/api-error.ts';
import { operatorContext } from '../../tenancy/context.ts';
import { SCOPES } from '../../tenancy/registry-schema.ts';
import { type IssuedApiKey, prepareApiKey } from '../api-keys/issue-api-key.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { type TenantView, tenantView } from './tenant-view.ts';

export interface CreateTenantInput extends NewTenantRow {
  operatorId: string;
  /** The default project's name. */
  projectName: string;
}

export interface CreatedTenant {
  tenant: TenantView;
  project: { id: string; name: string };
  /** The first secret key: `key` appears in this answer and nowhere else, ever. */
  apiKey: IssuedApiKey;
}

export async function createTenant(
  deps: Pick<ServiceDeps, 'settings' | 'requestId'>,
  input: CreateTenantInput,
): Promise<CreatedTenant> {
  const ctx = operatorContext(crypto.randomUUID(), input.operatorId);
  const projectId = crypto.randomUUID();
  const key = await prepareApiKey({
    kind: 'secret',
    scopes: SCOPES,
    projects: 'all',
    label: 'First secret key (operator API)',
  });
  const { operatorId: _operator, projectName, ...row } = input;
  try {
    const [tenants, projects] = await withTenant(ctx, deps.settings, (scope) => [
      insertTenantRecord(scope, row),
      insertProject(scope, { id: projectId, name: projectName }),
      ...key.statements(scope),
      recordAuditEvent(
        scope,
        auditEntry(ctx, deps, {
          action: 'tenant.created',
          targetType: 'tenant',
          targetId: ctx.tenantId,
          detail: { slug: row.slug, projectId, apiKeyId: key.issued.id },
        }),
      ),
    ]);
    const tenant = tenants[0];
    const project = projects[0];
    if (!tenant || !project) throw new Error('tenant insert returned no row');
    return { tenant: tenantView(tenant), project: { id: project.id, name: project.name }, apiKey: key.issued };
  } catch (error) {
    if (violatedUniqueConstraint(error) === 'tenants_slug_key') {
      throw new ApiError('conflict', `slug: ${row.slug} is taken (slugs are never reused)`);
    }
    throw error;
  }
}
