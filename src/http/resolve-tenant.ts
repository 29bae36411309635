// Turns a request into "tenant X, principal Y, scopes Z" or refuses it. Sources, strongest first:
// API key → subdomain of API_HOST → `x-tenant-id` (development only). All present must name the
// same tenant (else 403); an end-user JWT must claim that tenant too and verify under its keys.
// When the host names an active tenant, API keys are also looked up in that tenant's KV cache
// (revocation bound in src/tenancy/api-key-verifier.ts); with no tenant known, only the store is.
// Tenants come from Postgres through the tenant directory (src/tenancy/tenant-directory.ts: cached
// in the isolate ≤ TENANT_CACHE_MS, primed by key resolution). Maintenance (503 `maintenance`):
// the MAINTENANCE var at once, the platform switch and a tenant's lock within that bound (and the
// database path refuses a locked or non-active tenant at once, src/db/tenant-context-sql.ts).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { databaseKeyStore } from '../db/database-key-store.ts';
import { databaseMemberRoles } from '../db/member-role-lookup.ts';
import { tenantUnavailable, underMaintenance } from '../db/postgres-errors.ts';
import { databaseTenantSource } from '../db/tenant-resolution.ts';
import { ApiError, notFound } from '../domain/api-error.ts';
import { recordKeyUse } from '../services/api-keys/record-key-use.ts';
import { verifiedKeyCache } from '../stores/verified-key-cache.ts';
import { type ApiKeyVerifier, apiKeyVerifier } from '../tenancy/api-key-verifier.ts';
import { buildTenantContext } from '../tenancy/build-context.ts';
import { anonymousContext } from '../tenancy/context.ts';
import { hostClaim } from '../tenancy/host.ts';
import type { KeyStore, StoredApiKey } from '../tenancy/key-store.ts';
import { cachedMemberRoles, type MemberRoleSource } from '../tenancy/member-roles.ts';
import type { Tenant, TenantRegistry } from '../tenancy/registry.ts';
import { cachedTenantDirectory, registrySource, type TenantDirectory } from '../tenancy/tenant-directory.ts';
import {
  peekUserToken,
  TokenKeysUnavailableError,
  type UserTokenVerifier,
  userTokenVerifier,
} from '../tenancy/user-token.ts';
import type { AppEnv } from './app-env.ts';
import { auditDenial } from './audit-denial.ts';
import { invalidCredentials, readCredentials } from './credentials.ts';

export interface ResolveTenantOptions {
  /** Tenants from an in-memory registry instead of Postgres (tests; other tenants' fixtures). */
  registry?: TenantRegistry;
  /** The tenant directory itself; built from `registry` or Postgres when absent. */
  directory?: TenantDirectory;
  /** Where API keys are looked up; defaults to Postgres (bulkhead_auth.resolve_api_key). */
  keyStore?: KeyStore;
  apiKeys?: ApiKeyVerifier;
  userTokens?: UserTokenVerifier;
  /**
   * Where user JWTs' project roles come from; Postgres (cached ≤ TENANT_CACHE_MS) for tenants from
   * Postgres. Tenants from an in-memory registry have no rows: their tokens' claims decide alone.
   */
  memberRoles?: MemberRoleSource;
}

const mismatch = () => new ApiError('forbidden', 'Credentials do not agree on the tenant');

/** The directory the edge uses: the caller's, an in-memory registry's, or Postgres'. */
export function edgeTenantDirectory(options: Pick<ResolveTenantOptions, 'registry' | 'directory'>): TenantDirectory {
  if (options.directory) return options.directory;
  return cachedTenantDirectory(options.registry ? registrySource(options.registry) : databaseTenantSource());
}

/**
 * The default key store. With tenants from Postgres it primes `directory` with each key's tenant
 * (one lookup for a cold key); with tenants from elsewhere those are the truth, so it does not.
 */
export function edgeKeyStore(
  options: Pick<ResolveTenantOptions, 'keyStore' | 'registry' | 'directory'>,
  directory: TenantDirectory,
): KeyStore {
  if (options.keyStore) return options.keyStore;
  const fromDatabase = options.registry === undefined && options.directory === undefined;
  return databaseKeyStore(fromDatabase ? { onTenant: directory.prime } : {});
}

/** Member roles from Postgres for tenants from Postgres; none for an in-memory registry's tenants. */
export function edgeMemberRoles(
  options: Pick<ResolveTenantOptions, 'memberRoles' | 'registry' | 'directory'>,
): MemberRoleSource | undefined {
  if (options.memberRoles) return options.memberRoles;
  const fromDatabase = options.registry === undefined && options.directory === undefined;
  return fromDatabase ? cachedMemberRoles(databaseMemberRoles()) : undefined;
}

export const resolveTenant = (options: ResolveTenantOptions = {}) => {
  const directory = edgeTenantDirectory(options);
  const apiKeys = options.apiKeys ?? apiKeyVerifier({ store: edgeKeyStore(options, directory) });
  const userTokens = options.userTokens ?? userTokenVerifier();
  const memberRoles = edgeMemberRoles(options);

  return createMiddleware<AppEnv>(async function resolveTenant(c, next) {
    const settings = c.get('settings');
    const { ENVIRONMENT, API_HOST } = settings;
    // The deploy-time switch answers before anything is read, so it holds with Postgres down.
    if (settings.MAINTENANCE === 'true') throw underMaintenance();
    const presented = readCredentials(c.req.raw.headers, ENVIRONMENT === 'development');

    // An unknown or look-alike subdomain is a place that does not exist: the generic 404.
    const host = hostClaim(c.req.url, API_HOST);
    if (host.kind === 'invalid') throw notFound();
    // Without any credential the answer is 401 whatever the subdomain names (active, suspended,
    // deleting or no tenant at all): an anonymous caller learns nothing of a tenant's status.
    if (presented.apiKey === undefined && presented.userToken === undefined && presented.tenantHeader === undefined) {
      throw invalidCredentials();
    }
    let hostTenant: Tenant | undefined;
    if (host.kind === 'slug') hostTenant = (await directory.bySlug(host.slug, settings)) ?? throwError(notFound());

    // Malformed tokens, `alg: none` and HMAC are refused before any lookup.
    const peeked = presented.userToken === undefined ? undefined : peekUserToken(presented.userToken);
    if (presented.userToken !== undefined && !peeked) throw invalidCredentials();
    // Not for a suspended or deleting tenant: its requests are refused anyway, and an erased
    // tenant's KV prefix must stay empty.
    const hostKeys =
      hostTenant?.status === 'active' && c.env.CACHE
        ? verifiedKeyCache({ tenantId: hostTenant.id }, c.env.CACHE)
        : undefined;
    const key =
      presented.apiKey === undefined ? undefined : await apiKeys.verify(presented.apiKey, c.get('settings'), hostKeys);
    if (presented.apiKey !== undefined && !key) {
      await auditUnverified(c, hostTenant, 'invalid_api_key');
      throw invalidCredentials();
    }

    // After the lookups above, which read the platform switch too: in a cold isolate this costs no
    // extra round trip when a key or a subdomain was looked up.
    if (await directory.platformMaintenance(settings)) throw underMaintenance();
    const named = [key?.tenantId, hostTenant?.id, presented.tenantHeader].filter((id) => id !== undefined);
    const tenantId = named[0];
    if (tenantId === undefined) throw invalidCredentials();
    if (named.some((id) => id !== tenantId)) {
      // A verified key names its tenant: the holder's refusal is filed there.
      if (key) await auditKeyRefusal(c, await directory.byId(key.tenantId, settings), key, 'tenant_mismatch');
      throw mismatch();
    }
    if (peeked && peeked.claimedTenant !== tenantId) throw mismatch();
    const tenant = await directory.byId(tenantId, settings);
    if (tenant?.status !== 'active') throw tenantUnavailable();

    let user: Awaited<ReturnType<UserTokenVerifier['verify']>>;
    if (presented.userToken !== undefined) {
      if (!tenant.jwt) throw invalidCredentials();
      user = await userTokens.verify(presented.userToken, tenant.jwt).catch((error: unknown) => {
        if (error instanceof TokenKeysUnavailableError) {
          throw new ApiError('unavailable', 'Identity provider unavailable', { 'Retry-After': '30' });
        }
        throw error;
      });
      if (!user) {
        await auditUnverified(c, hostTenant, 'invalid_user_token');
        throw invalidCredentials();
      }
      if (user.tenantId !== tenant.id) throw mismatch();
    }

    const roles = user && memberRoles ? await memberRoles.rolesOf(tenant.id, user.subject, settings) : undefined;
    const context = buildTenantContext(tenant, {
      key,
      user,
      developmentHeader: presented.tenantHeader !== undefined,
      memberRoles: roles,
    });
    if (!context) throw invalidCredentials();
    // After the credential is verified: an anonymous caller learns nothing of a tenant's lock.
    if (tenant.locked) {
      c.set('allowedOrigins', tenant.allowedOrigins); // so the tenant's widget can read why
      throw underMaintenance();
    }
    // A publishable key is embedded in public web pages: it counts only from the tenant's origins.
    if (key?.kind === 'publishable' && !tenant.allowedOrigins.has(c.req.header('origin') ?? '')) {
      await auditDenial(c, context, { reason: 'origin_not_allowed' }, AT_RESOLUTION);
      throw new ApiError('forbidden', "Publishable keys are accepted only from the tenant's allowed origins");
    }
    c.set('tenant', context);
    c.set('allowedOrigins', tenant.allowedOrigins);
    // api_keys.last_used_at, at most once a minute per key and isolate, after the response.
    if (key) afterResponse(c, recordKeyUse(context, settings));
    await next();
  });
};

/** Refusals at resolution: no route was matched yet, and they come before the rate limit. */
const AT_RESOLUTION = { route: 'tenant resolution', sampled: true };

async function auditKeyRefusal(c: Context<AppEnv>, tenant: Tenant | undefined, key: StoredApiKey, reason: string) {
  if (tenant?.status !== 'active' || tenant.locked) return; // an unavailable tenant's rows are not added to
  const context = buildTenantContext(tenant, { key });
  if (context) await auditDenial(c, context, { reason }, AT_RESOLUTION);
}

/**
 * A 401 on a known, serving tenant's subdomain is that tenant's business (someone is trying its
 * door): one sampled access.denied row under it, actor `anonymous` (src/http/audit-denial.ts, one
 * row per 10 s per reason and isolate, so a flood cannot fill the table). Off a subdomain no
 * tenant is known: the request's own log line (src/http/request-metrics.ts) is the record.
 */
async function auditUnverified(c: Context<AppEnv>, hostTenant: Tenant | undefined, reason: string) {
  if (hostTenant?.status !== 'active' || hostTenant.locked) return;
  await auditDenial(c, anonymousContext(hostTenant.id), { reason }, AT_RESOLUTION);
}

/** Keeps `work` alive past the response where the runtime offers waitUntil; never awaited. */
function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work; // no execution context (app.request in tests): it runs on, unawaited
  }
}

function throwError(error: Error): never {
  throw error;
}
