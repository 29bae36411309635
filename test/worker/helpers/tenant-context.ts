// TenantContexts for tests, built the way the edge middleware would: the tenant id branded by
// toTenantId, projects either 'all' or a list.
import { type Scope, type TenantContext, toTenantId } from '../../../src/tenancy/context.ts';

export interface TestContextOptions {
  projectIds?: readonly string[] | 'all';
  scopes?: Scope[];
  principalId?: string;
}

export function tenantContext(tenantId: string, options: TestContextOptions = {}): TenantContext {
  return {
    tenantId: toTenantId(tenantId),
    projectIds: options.projectIds ?? 'all',
    principal: { kind: 'secret_key', id: options.principalId ?? 'test-key' },
    scopes: new Set(options.scopes ?? ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin']),
    features: {},
    limits: { requestsPerMinute: 600, burst: 60, maxDocuments: 1000, maxUploadBytes: 10_000_000, maxTopK: 20 },
  };
}
