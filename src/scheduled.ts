// What the Worker's cron triggers run (wrangler.toml [triggers]). Today one job: the orphan-object
// sweep, which removes objects whose document row is gone once their upload window has passed
// (docs/threat-model.md T53). Each tenant is swept under its own context, one after another; the
// tenants are the registry's rows in Postgres (bulkhead_auth.list_tenants), page by page.
import { readSettings } from './config/settings.ts';
import { allTenants } from './db/tenant-resolution.ts';
import { sweepOrphanObjectsOfTenants } from './services/documents/sweep-orphan-objects.ts';
import { purgeExpiredOfTenants } from './services/retention/purge-expired.ts';

export interface ScheduledOptions {
  /** The tenants to visit; every tenant in Postgres by default (tests pass their own). */
  tenants?: Iterable<{ id: string }> | AsyncIterable<{ id: string }>;
  /** Moves the sweep's clock (tests); a run otherwise uses the time it starts. */
  now?: Date;
}

export async function runScheduled(env: Env, options: ScheduledOptions = {}): Promise<void> {
  const settings = readSettings(env);
  const deps = { settings, requestId: `cron-${crypto.randomUUID()}` };
  const tenants = options.tenants ?? allTenants(settings);
  await sweepOrphanObjectsOfTenants({ tenants, deps, input: options.now && { now: options.now } });
  // Retention (src/services/retention/): each tenant's expired messages and retrieval rows.
  const ids: string[] = [];
  for await (const tenant of options.tenants ?? allTenants(settings)) ids.push(tenant.id);
  await purgeExpiredOfTenants(ids, settings, deps.requestId, options.now);
}
