// The tenant's retention setting (issue 13 §3, issue 14): how many days messages and retrieval
// logs are kept (null: forever), read and set by a tenant admin under the tenant's own context and
// audited; the cron trigger purges what is older (src/services/retention/purge-expired.ts).
import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { type RetentionDays, readRetention, setRetention } from '../../db/repositories/retention.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';

export async function retentionSettings({ ctx, deps }: ServiceCall<void>): Promise<RetentionDays> {
  const [result] = await withTenant(ctx, deps.settings, (scope) => [readRetention(scope)]);
  const row = result.rows[0];
  return { messagesDays: row?.messages_days ?? null, retrievalsDays: row?.retrievals_days ?? null };
}

export async function changeRetentionSettings({
  ctx,
  deps,
  input,
}: ServiceCall<RetentionDays>): Promise<RetentionDays> {
  await withTenant(ctx, deps.settings, (scope) => [
    setRetention(scope, input),
    recordAuditEvent(
      scope,
      auditEntry(ctx, deps, {
        action: 'retention.changed',
        targetType: 'tenant',
        targetId: ctx.tenantId,
        detail: { ...input },
      }),
    ),
  ]);
  return input;
}
