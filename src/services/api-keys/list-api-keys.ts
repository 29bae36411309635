// GET /v1/api-keys: every key of the tenant, oldest first, revoked and expired ones included (with
// their state), so an admin can see what was rotated out. Capped like the project list.
import { listApiKeyRecords } from '../../db/repositories/api-key-records.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { type ApiKeyView, apiKeyView } from './api-key-view.ts';
import { assertTenantWide } from './tenant-wide-admin.ts';

export const MAX_LISTED_API_KEYS = 1000;

export async function listApiKeys({ ctx, deps }: ServiceCall<void>): Promise<{ apiKeys: ApiKeyView[] }> {
  assertTenantWide(ctx);
  const [rows] = await withTenant(ctx, deps.settings, (scope) => [
    listApiKeyRecords(scope, MAX_LISTED_API_KEYS),
    recordAuditEvent(scope, auditEntry(ctx, deps, { action: 'api_key.list', targetType: 'api_key' })),
  ]);
  const now = Date.now();
  return { apiKeys: rows.map((row) => apiKeyView(row, now)) };
}
