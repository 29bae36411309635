// GET /v1/usage: what the tenant stores now and what happened per UTC day, for its admins. Every
// figure comes from Postgres under the tenant's own context, in one batch: counts of its rows, and
// its audit log per day (actions by outcome, refusals by reason). Request volume per day is the
// Analytics Engine series REQUEST_METRICS (index = tenant id), which cannot be read from inside the
// Worker; docs/admin-api.md shows the query. `vectors` counts the chunks of ready documents: each
// has exactly one vector (id `{documentId}#{chunkIndex}`) in the tenant's namespace.

import { recordAuditEvent } from '../../db/repositories/audit-events.ts';
import { dailyAuditCounts, storedCounts } from '../../db/repositories/usage-counts.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { assertTenantWide } from '../api-keys/tenant-wide-admin.ts';
import { auditEntry } from '../audit.ts';
import type { ServiceCall } from '../service-deps.ts';

export const MAX_USAGE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface UsageDay {
  date: string;
  /** Audited actions by outcome: allowed, not_found, denied. */
  actions: Record<string, number>;
  /** Refusals by reason (missing_scope, feature_disabled, limit_exceeded, rate_limited, origin_not_allowed, …). */
  denials: Record<string, number>;
}

export async function tenantUsage({ ctx, deps, input }: ServiceCall<{ days: number }>) {
  assertTenantWide(ctx);
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const since = new Date(today - (input.days - 1) * DAY_MS);
  const [counts, daily] = await withTenant(ctx, deps.settings, (scope) => [
    storedCounts(scope),
    dailyAuditCounts(scope, since),
    recordAuditEvent(scope, auditEntry(ctx, deps, { action: 'usage.read', detail: { days: input.days } })),
  ]);
  const days = new Map<string, UsageDay>();
  for (let i = 0; i < input.days; i++) {
    const date = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    days.set(date, { date, actions: {}, denials: {} });
  }
  for (const row of daily.rows) {
    const day = days.get(row.day);
    if (!day) continue;
    day.actions[row.outcome] = (day.actions[row.outcome] ?? 0) + row.events;
    if (row.reason !== null) day.denials[row.reason] = (day.denials[row.reason] ?? 0) + row.events;
  }
  const stored = counts.rows[0];
  return {
    from: since.toISOString().slice(0, 10),
    to: new Date(today).toISOString().slice(0, 10),
    totals: {
      projects: stored?.projects ?? 0,
      documents: stored?.documents ?? 0,
      readyDocuments: stored?.ready_documents ?? 0,
      storedBytes: Number(stored?.stored_bytes ?? 0),
      chunks: stored?.chunks ?? 0,
      vectors: stored?.vectors ?? 0,
      conversations: stored?.conversations ?? 0,
      messages: stored?.messages ?? 0,
      liveApiKeys: stored?.live_api_keys ?? 0,
    },
    days: [...days.values()],
    requests: { source: 'analytics_engine', dataset: 'REQUEST_METRICS' },
  };
}
