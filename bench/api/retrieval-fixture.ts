// One retrieval's inputs for the database-level figures: the tenant's first TOP_K documents as the
// matched positions, the retrieval log and its audit entry, and the tenant-wide context the app
// would build for the bench key.
import { type TenantContext, toTenantId } from '../../src/tenancy/context.ts';
import type { BenchTenant } from './seed-tenants.ts';

export const TOP_K = 5;

export function retrievalAt(tenant: BenchTenant, query: string) {
  const positions = tenant.documents
    .slice(0, TOP_K)
    .map((documentId, rank) => ({ documentId, chunkIndex: 0, score: 1 - rank / 10, rank }));
  const retrieval = { projectId: tenant.project, query, topK: TOP_K };
  const audit = {
    action: 'retrieval.query',
    projectId: tenant.project,
    targetType: 'project',
    targetId: tenant.project,
    requestId: 'bench',
    detail: { topK: TOP_K, matches: positions.length, conversationId: null },
  };
  return { positions, retrieval, audit };
}

export function benchContext(tenant: BenchTenant): TenantContext {
  return {
    tenantId: toTenantId(tenant.id),
    projectIds: 'all',
    principal: { kind: 'secret_key', id: tenant.keyId },
    scopes: new Set(['retrieval']),
    features: {},
    limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1000, maxUploadBytes: 2_000_000, maxTopK: 20 },
  };
}
