// What the Worker's cron triggers run (wrangler.toml [triggers]). Today one job: the orphan-object
// sweep, which removes objects whose document row is gone once their upload window has passed
// (docs/threat-model.md T53). Each tenant is swept under its own context, one after another.
import { readSettings } from './config/settings.ts';
import { sweepOrphanObjectsOfTenants } from './services/documents/sweep-orphan-objects.ts';
import type { TenantRegistry } from './tenancy/registry.ts';

/** `now` moves the sweep's clock (tests); a run otherwise uses the time it starts. */
export async function runScheduled(env: Env, registry: TenantRegistry, now?: Date): Promise<void> {
  const deps = { settings: readSettings(env), requestId: `cron-${crypto.randomUUID()}` };
  await sweepOrphanObjectsOfTenants({ tenants: registry.all(), deps, input: now && { now } });
}
