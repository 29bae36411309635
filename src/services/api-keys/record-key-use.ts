// api_keys.last_used_at: when a key last authenticated a request, for GET /v1/api-keys. Tenant
// resolution calls recordKeyUse after it has verified a key (in waitUntil where the Worker allows),
// so the write runs under the key's own tenant context like any tenant statement.
//
// Cheap by construction: at most one write per key per KEY_USE_INTERVAL_MS in an isolate (a
// flood of requests with one key costs one UPDATE a minute per isolate), and the statement itself
// skips a row touched within the interval by another isolate. The time shown is therefore the
// latest use to within a minute. A failed write is logged and never fails the request.
import type { Settings } from '../../config/settings.ts';
import { touchApiKeyLastUsed } from '../../db/repositories/api-key-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export const KEY_USE_INTERVAL_MS = 60_000;
const MAX_TRACKED_KEYS = 10_000;

const lastWritten = new Map<string, number>();

/** Whether this isolate should write `key`'s use now; marks it written when so. */
export function keyUseDue(key: string, now: number): boolean {
  const last = lastWritten.get(key);
  if (last !== undefined && now - last < KEY_USE_INTERVAL_MS) return false;
  lastWritten.delete(key);
  if (lastWritten.size >= MAX_TRACKED_KEYS) lastWritten.delete(lastWritten.keys().next().value as string);
  lastWritten.set(key, now);
  return true;
}

export interface RecordKeyUseOptions {
  now?: () => number;
}

/** Records that the context's API key was just used; does nothing for other principals. */
export async function recordKeyUse(
  ctx: TenantContext,
  settings: Settings,
  options: RecordKeyUseOptions = {},
): Promise<void> {
  const { kind, id } = ctx.principal;
  if (kind !== 'secret_key' && kind !== 'publishable_key') return;
  if (!keyUseDue(`${ctx.tenantId}:${id}`, (options.now ?? Date.now)())) return;
  try {
    await withTenant(ctx, settings, (scope) => [touchApiKeyLastUsed(scope, id, KEY_USE_INTERVAL_MS)]);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', event: 'api_key.last_used_unrecorded', error: String(error) }));
  }
}
