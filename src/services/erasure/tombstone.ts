// The tombstone an erasure leaves in audit_events, which survives erasure by design: who asked,
// when, what each store held and lost, and what the verification counted. Its id is derived from
// the job, so however often the step runs there is exactly one (docs/threat-model.md T76).
import { insertTombstone } from '../../db/repositories/erasure-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { JobDeps } from '../jobs/durable-steps.ts';

/** A uuid (version 8, RFC 9562's custom layout) from the SHA-256 of `name`: the same name, the same id. */
export async function derivedUuid(name: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name))).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface TombstoneInput {
  jobId: string;
  action: 'tenant.erased' | 'end_user.erased';
  targetType: 'tenant' | 'end_user';
  targetId: string;
  detail: Record<string, unknown>;
}

/** Returns whether this call wrote it (false: an earlier attempt had). */
export async function leaveTombstone(ctx: TenantContext, deps: JobDeps, input: TombstoneInput): Promise<boolean> {
  const id = await derivedUuid(`tombstone:${input.jobId}`);
  const [written] = await withTenant(ctx, deps.settings, (scope) => [
    insertTombstone(scope, { id, ...input, detail: { ...input.detail, jobId: input.jobId } }),
  ]);
  return written.rows.length === 1;
}
