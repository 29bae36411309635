// POST /v1/api-keys/{id}/reroll: a new key with the old one's kind, scopes, projects, label and
// expiry, and the old key's expires_at brought forward to now + overlap, so clients can move to the
// new key while the old one still works (resolve_api_key honours expires_at; overlap 0 ends it at
// once). One transaction: the old key is locked and must be live, so two rerolls of one key cannot
// both succeed and a key revoked meanwhile is not rerolled.
import { findApiKeyRecord, lockLiveApiKey, shortenApiKeyExpiry } from '../../db/repositories/api-key-records.ts';
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { withTenantTransaction } from '../../db/with-tenant-transaction.ts';
import { notFound } from '../../domain/api-error.ts';
import type { Scope } from '../../tenancy/context.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';
import { type IssuedApiKey, issueApiKey } from './issue-api-key.ts';
import { assertTenantWide } from './tenant-wide-admin.ts';

export const MAX_REROLL_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface RerollInput {
  id: string;
  overlapSeconds: number;
}

export interface RerollResult {
  apiKey: IssuedApiKey;
  previous: { id: string; keyId: string; expiresAt: string };
}

export async function rerollApiKey({ ctx, deps, input }: ServiceCall<RerollInput>): Promise<RerollResult> {
  assertTenantWide(ctx);
  return withTenantTransaction(
    ctx,
    deps.settings,
    async (scope) => {
      const [live] = await lockLiveApiKey(scope, input.id);
      if (!live) throw notFound();
      const [old] = await findApiKeyRecord(scope, input.id);
      if (!old) throw notFound();
      const apiKey = await issueApiKey(scope, {
        kind: old.kind,
        scopes: old.scopes as Scope[],
        projects: old.allProjects ? 'all' : old.projectIds,
        label: old.label,
        expiresAt: old.expiresAt,
      });
      const [shortened] = await shortenApiKeyExpiry(scope, input.id, input.overlapSeconds);
      const previousExpiry = (shortened?.expiresAt ?? new Date()).toISOString();
      await recordAuditEvent(
        scope,
        auditEntry(ctx, deps, {
          action: 'api_key.reroll',
          targetType: 'api_key',
          targetId: input.id,
          detail: { keyId: old.lookupId, newId: apiKey.id, newKeyId: apiKey.keyId, previousExpiresAt: previousExpiry },
        }),
      );
      return { apiKey, previous: { id: input.id, keyId: old.lookupId, expiresAt: previousExpiry } };
    },
    { waitUntil: deps.background },
  );
}
