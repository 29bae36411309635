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

/**
 * The lowest score (cosine similarity, -1 to 1) a retrieved chunk may have when the tenant sets
 * none. Measured with the local lexical embedder (384 hashed dimensions): two texts that share no
 * word or trigram score N(0, 0.05) from hash collisions alone, so 0.1 (two standard deviations)
 * drops 98% of such matches and every negative one, while a chunk sharing a content word with the
 * question scores above it (39 of 40 help-centre questions against their passage). Higher values
 * lose relevant passages with this embedder (0.2 keeps 28 of 40). Scores are those of a cosine
 * (or dot-product, over the unit vectors every embedder here returns) index. Semantic embedders
 * such as bge-base score unrelated text well above zero: a tenant using one should measure its
 * own relevant and unrelated questions and set the minimum between them.
 */
export const DEFAULT_MIN_RETRIEVAL_SCORE = 0.1;

export interface TenantLimits {
  requestsPerMinute: number;
  burst: number;
  maxDocuments: number;
  maxUploadBytes: number;
  maxTopK: number;
  /**
   * Matches scoring below this are not retrieved. The registry always sets it (default
   * DEFAULT_MIN_RETRIEVAL_SCORE); a context built by hand may leave it out: read it through
   * minRetrievalScore().
   */
  minRetrievalScore?: number;
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

export function minRetrievalScore(context: Pick<TenantContext, 'limits'>): number {
  return context.limits.minRetrievalScore ?? DEFAULT_MIN_RETRIEVAL_SCORE;
}

/** Validates and brands a tenant id; throws on anything but a lower-case uuid. */
export function toTenantId(value: string): TenantId {
  if (!UUID_PATTERN.test(value)) throw new Error('tenant id must be a lower-case uuid');
  return value as TenantId;
}
