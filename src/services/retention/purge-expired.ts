// Retention (issue 14): each tenant's messages and retrieval log rows older than its setting are
// deleted by the cron trigger (src/scheduled.ts), tenant by tenant, each under its own context
// (principal `system`), in batches so one large tenant cannot hold a transaction for long. A
// tenant without a setting keeps everything. One tenant's failure is logged and the rest purged.
import type { Settings } from '../../config/settings.ts';
import { purgeOlderThan, readRetention } from '../../db/repositories/retention.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { systemContext } from '../jobs/system-context.ts';

const DAY_MS = 86_400_000;
export const RETENTION_BATCH = 1000;

export interface RetentionPurge {
  messages: number;
  retrievals: number;
}

export async function purgeExpired(
  tenantId: string,
  settings: Settings,
  now: Date = new Date(),
  batch = RETENTION_BATCH,
): Promise<RetentionPurge> {
  const ctx = systemContext(tenantId, 'retention');
  const [setting] = await withTenant(ctx, settings, (scope) => [readRetention(scope)]);
  const row = setting.rows[0];
  const purged: RetentionPurge = { messages: 0, retrievals: 0 };
  for (const [table, days] of [
    ['messages', row?.messages_days],
    ['retrievals', row?.retrievals_days],
  ] as const) {
    if (days === null || days === undefined) continue;
    const before = new Date(now.getTime() - Number(days) * DAY_MS);
    for (;;) {
      const [gone] = await withTenant(ctx, settings, (scope) => [purgeOlderThan(scope, table, before, batch)]);
      const n = Number(gone.rows[0]?.deleted ?? 0);
      purged[table] += n;
      if (n < batch) break;
    }
  }
  return purged;
}

/** The cron trigger's pass: every tenant in turn; throws at the end if any failed. */
export async function purgeExpiredOfTenants(
  tenantIds: readonly string[],
  settings: Settings,
  requestId: string,
  now?: Date,
): Promise<Map<string, RetentionPurge>> {
  const purged = new Map<string, RetentionPurge>();
  const failures: unknown[] = [];
  for (const tenantId of tenantIds) {
    try {
      const counts = await purgeExpired(tenantId, settings, now);
      purged.set(tenantId, counts);
      if (counts.messages + counts.retrievals > 0) {
        console.log(JSON.stringify({ level: 'info', event: 'retention.purged', tenantId, requestId, ...counts }));
      }
    } catch (error) {
      failures.push(error);
      console.error(
        JSON.stringify({ level: 'error', event: 'retention.purge_failed', tenantId, requestId, error: String(error) }),
      );
    }
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `retention purge failed for ${failures.length} tenant(s)`);
  return purged;
}
