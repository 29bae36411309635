// The context a durable job runs under: the tenant, every project, principal kind `system`. No
// request made it and no credential yields it; the database path lets it act on a tenant that is
// not serving (deleting), which is exactly what erasure needs.
import type { TenantContext } from '../../tenancy/context.ts';
import { toTenantId } from '../../tenancy/context.ts';

// Jobs read and write no tenant-limited thing (no uploads, no topK), so the limits are inert.
const JOB_LIMITS = Object.freeze({
  requestsPerMinute: 1,
  burst: 1,
  maxDocuments: 0,
  maxUploadBytes: 0,
  maxTopK: 1,
});

export function systemContext(tenantId: string, job: string): TenantContext {
  return Object.freeze({
    tenantId: toTenantId(tenantId),
    projectIds: 'all' as const,
    principal: Object.freeze({ kind: 'system' as const, id: `job:${job}` }),
    scopes: new Set<never>(),
    features: Object.freeze({}),
    limits: JOB_LIMITS,
  });
}

/** The platform operator acting on one tenant (the operator API): requests a job in its own name. */
export function operatorContext(tenantId: string, operatorId: string): TenantContext {
  return Object.freeze({
    tenantId: toTenantId(tenantId),
    projectIds: 'all' as const,
    principal: Object.freeze({ kind: 'operator' as const, id: operatorId }),
    scopes: new Set<never>(),
    features: Object.freeze({}),
    limits: JOB_LIMITS,
  });
}
