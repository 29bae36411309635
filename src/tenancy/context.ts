// TenantContext: who is asking, for which tenant, allowed to do what. Made only by the edge
// middleware from verified credentials; the only source of tenant identity downstream.
import { UUID_PATTERN } from '../domain/uuid.ts';

declare const tenantIdBrand: unique symbol;
/** A tenant's uuid, validated. Only the tenancy layer makes one. */
export type TenantId = string & { readonly [tenantIdBrand]: true };

export type Scope = 'chat' | 'retrieval' | 'documents:read' | 'documents:write' | 'admin';

export type PrincipalKind = 'publishable_key' | 'secret_key' | 'user' | 'development';

export interface Principal {
  kind: PrincipalKind;
  /** Key id, end-user subject or widget user id: never a secret. */
  id: string;
}

export interface TenantLimits {
  requestsPerMinute: number;
  burst: number;
  maxDocuments: number;
  maxUploadBytes: number;
  maxTopK: number;
}

export interface TenantContext {
  readonly tenantId: TenantId;
  /** Projects this principal may touch; `'all'` for tenant-wide principals. */
  readonly projectIds: readonly string[] | 'all';
  readonly principal: Principal;
  readonly scopes: ReadonlySet<Scope>;
  readonly features: Readonly<Record<string, boolean>>;
  readonly limits: Readonly<TenantLimits>;
}

/** Validates and brands a tenant id; throws on anything but a lower-case uuid. */
export function toTenantId(value: string): TenantId {
  if (!UUID_PATTERN.test(value)) throw new Error('tenant id must be a lower-case uuid');
  return value as TenantId;
}
