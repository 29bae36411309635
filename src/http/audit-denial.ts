// Refusals of a known tenant become access.denied audit rows, written after the response when the
// Worker allows (a denial costs the caller no round trip). Used by the /v1 guards (scope, feature)
// and by tenant resolution (origin, tenant mismatch) once a verified key names the tenant.
//
// Refusals at resolution happen before the tenant's rate limit and are cheap to provoke (a public
// widget key from a foreign Origin), so those rows are sampled: at most one per (tenant, principal,
// reason) per DENIAL_SAMPLE_MS in this isolate, the next row carrying how many were folded into it
// (`suppressed`). A flood costs one row per interval per isolate, not one per request. The guards'
// refusals come after the rate limit, which already bounds them: each is recorded.
import type { Context } from 'hono';
import { recordAccessDenial } from '../services/access-denial.ts';
import type { TenantContext } from '../tenancy/context.ts';
import type { AppEnv } from './app-env.ts';

export const DENIAL_SAMPLE_MS = 10_000;
const MAX_TRACKED = 10_000;

const lastRecorded = new Map<string, { at: number; suppressed: number }>();

/** Whether to write this refusal now, and how many earlier ones it stands for. */
export function sampleDenial(key: string, now: number): { record: boolean; suppressed: number } {
  const seen = lastRecorded.get(key);
  if (seen && now - seen.at < DENIAL_SAMPLE_MS) {
    seen.suppressed += 1;
    return { record: false, suppressed: 0 };
  }
  if (!seen && lastRecorded.size >= MAX_TRACKED) lastRecorded.delete(lastRecorded.keys().next().value as string);
  lastRecorded.set(key, { at: now, suppressed: 0 });
  return { record: true, suppressed: seen?.suppressed ?? 0 };
}

export interface DenialOptions {
  /** What the row names as its target; defaults to `METHOD /route/pattern`. */
  route?: string;
  /** Sample (see above): for refusals that happen before the rate limit. */
  sampled?: boolean;
}

export async function auditDenial(
  c: Context<AppEnv>,
  ctx: TenantContext,
  detail: Record<string, string>,
  options: DenialOptions = {},
): Promise<void> {
  const route = options.route ?? `${c.req.method} ${c.req.routePath}`;
  const reason = Object.entries(detail)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const principal = `${ctx.principal.kind}:${ctx.principal.id}`;
  const sample = options.sampled
    ? sampleDenial(`${ctx.tenantId}|${principal}|${route}|${reason}`, Date.now())
    : { record: true, suppressed: 0 };
  if (!sample.record) return;
  const deps = { settings: c.get('settings'), requestId: c.get('requestId') };
  const input = { route, detail: sample.suppressed ? { ...detail, suppressed: String(sample.suppressed) } : detail };
  const recording = recordAccessDenial({ ctx, deps, input }).catch((error: unknown) => {
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'audit.denial_unrecorded',
        requestId: c.get('requestId'),
        error: String(error),
      }),
    );
  });
  try {
    c.executionCtx.waitUntil(recording);
  } catch {
    await recording; // no ExecutionContext (tests): record before answering
  }
}
