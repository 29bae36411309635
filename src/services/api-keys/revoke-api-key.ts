// DELETE /v1/api-keys/{id}: revoked_at is set, and from that commit bulkhead_auth.resolve_api_key
// no longer returns the key, so every database lookup refuses it at once. Caches that verified it
// earlier trust it for at most their TTL (30 s in an isolate, 60 s through KV: docs/threat-model.md
// T5). Idempotent like every admin delete: an already revoked key, or one that is not there for
// this tenant, answers the same 204 (the audit row says which: allowed or not_found).
import { apiKeyExists, revokeApiKeyRecord } from '../../db/repositories/api-key-records.ts';
import { recordAccess } from '../../db/repositories/audit-access.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { accessEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { assertTenantWide } from './tenant-wide-admin.ts';

export async function revokeApiKey({ ctx, deps, input }: ServiceCall<{ id: string }>): Promise<void> {
  assertTenantWide(ctx);
  await withTenant(ctx, deps.settings, (scope) => [
    revokeApiKeyRecord(scope, input.id),
    recordAccess(
      scope,
      accessEntry(ctx, deps, { action: 'api_key.revoke', targetType: 'api_key', targetId: input.id }),
      apiKeyExists(input.id),
    ),
  ]);
}
