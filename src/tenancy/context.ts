// TenantContext: who is asking, for which tenant, allowed to do what. Made only by the edge
// middleware from verified credentials; the only source of tenant identity downstream.
import { UUID_PATTERN } from '../domain/uuid.ts';

declare const tenantIdBrand: unique symbol;
/** A tenant's uuid, validated. Only the tenancy layer makes one. */
export type TenantId = string & { readonly [tenantIdBrand]: true };

export type Scope = 'chat' | 'retrieval' | 'documents:read' | 'documents:write' | 'admin';

/**
 * `operator`: the platform team through the operator API (src/routes/operator/); `system`: scheduled
 * and durable jobs. Both may act on a tenant that is not serving (suspended, deleting, locked); no
 * tenant credential ever yields them.
 */
export type PrincipalKind =
  | 'publishable_key'
  | 'secret_key'
  | 'user'
  | 'development'
  | 'operator'
  | 'system'
  /** A caller whose credential did not verify: only ever the actor of its own refusal's audit row. */
  | 'anonymous';

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

/** Limits of no request: what a system context carries, since nothing it does is metered. */
const NO_LIMITS: Readonly<TenantLimits> = Object.freeze({
  requestsPerMinute: 0,
  burst: 0,
  maxDocuments: 0,
  maxUploadBytes: 0,
  maxTopK: 0,
});

/**
 * The context scheduled and durable jobs run a tenant's work under: every project, no scopes, no
 * features, principal `system` with the job's name. The database path lets it act on a tenant
 * that is not serving (an erasure runs while the tenant is `deleting`).
 */
export function systemContext(tenantId: string, job: string): TenantContext {
  return actorContext(tenantId, { kind: 'system', id: job });
}

/**
 * The actor of a refusal on a known tenant's subdomain whose credential did not verify: no scope
 * and no feature; made only to file that refusal's tenant-level audit row.
 */
export function anonymousContext(tenantId: string): TenantContext {
  return actorContext(tenantId, { kind: 'anonymous', id: 'unverified-credential' });
}

/** An operator's action on one tenant (the operator API), under that tenant's own context. */
export function operatorContext(tenantId: string, operatorId: string): TenantContext {
  return actorContext(tenantId, { kind: 'operator', id: operatorId });
}

function actorContext(tenantId: string, principal: Principal): TenantContext {
  return Object.freeze({
    tenantId: toTenantId(tenantId),
    projectIds: 'all' as const,
    principal: Object.freeze(principal),
    scopes: new Set<Scope>(),
    features: Object.freeze({}),
    limits: NO_LIMITS,
  });
}

/** Operator and system principals act on tenants that are not serving; no tenant credential does. */
export function actsOnAnyStatus(ctx: Pick<TenantContext, 'principal'>): boolean {
  return ctx.principal.kind === 'operator' || ctx.principal.kind === 'system';
}
