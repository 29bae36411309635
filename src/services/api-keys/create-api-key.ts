// POST /v1/api-keys: a new key, its project grants and its audit row in one batch (one round trip).
// The response carries the whole key once; the audit row names its key id, never the secret.

import { isForeignKeyViolation } from '../../db/postgres-errors.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { notFound } from '../../domain/api-error.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { type IssueApiKeyInput, type IssuedApiKey, prepareApiKey } from './issue-api-key.ts';
import { assertTenantWide } from './tenant-wide-admin.ts';

export async function createApiKey({ ctx, deps, input }: ServiceCall<IssueApiKeyInput>): Promise<IssuedApiKey> {
  assertTenantWide(ctx);
  const prepared = await prepareApiKey(input);
  const { issued } = prepared;
  try {
    await withTenant(ctx, deps.settings, (scope) => [
      ...prepared.statements(scope),
      recordAuditEvent(
        scope,
        auditEntry(ctx, deps, {
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: issued.id,
          detail: { keyId: issued.keyId, kind: issued.kind, scopes: issued.scopes, projects: issued.projects },
        }),
      ),
    ]);
  } catch (error) {
    // A project that is not this tenant's fails the (tenant, project) foreign key: like a missing one.
    if (isForeignKeyViolation(error)) throw notFound();
    throw error;
  }
  return issued;
}
