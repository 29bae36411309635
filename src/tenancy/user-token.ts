// End-user tokens (JWT) issued by a tenant's identity provider: verified with jose against that
// tenant's settings only, algorithms pinned, `exp`, `iss`, `aud` and `sub` required (RFC 8725).

import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { TIMEOUTS } from '../config/timeouts.ts';
import { UUID_PATTERN } from '../domain/uuid.ts';
import type { Scope } from './context.ts';
import { JWT_ALGORITHMS, type JwtSettings } from './registry-schema.ts';

export const JWKS_COOLDOWN_MS = 30_000;
export const JWKS_MAX_AGE_MS = 10 * 60_000;
const CLOCK_TOLERANCE_S = 5;

export const ROLE_SCOPES = {
  viewer: ['chat', 'retrieval'],
  editor: ['chat', 'retrieval', 'documents:read', 'documents:write'],
  admin: ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin'],
} as const satisfies Record<string, readonly Scope[]>;

const UserClaimsSchema = z.object({
  sub: z.string().min(1).max(255),
  tenant: z.string().regex(UUID_PATTERN),
  role: z.enum(Object.keys(ROLE_SCOPES) as [keyof typeof ROLE_SCOPES]),
  projects: z.array(z.string().regex(UUID_PATTERN)).max(1000).optional(),
});

export interface UserClaims {
  subject: string;
  tenantId: string;
  scopes: readonly Scope[];
  /** Absent: the user is not narrowed to projects beyond what the key allows. */
  projectIds?: readonly string[];
}

/** The identity provider could not be asked (JWKS unreachable): not the caller's fault. */
export class TokenKeysUnavailableError extends Error {
  override name = 'TokenKeysUnavailableError';
}

/**
 * Structural look at a token before anything is looked up: malformed tokens, `alg: none`, HMAC and
 * unknown algorithms end here. Returns the tenant the token claims, unverified, or undefined.
 */
export function peekUserToken(token: string): { claimedTenant: unknown } | undefined {
  try {
    const { alg } = decodeProtectedHeader(token);
    if (!(JWT_ALGORITHMS as readonly unknown[]).includes(alg)) return undefined;
    return { claimedTenant: decodeJwt(token).tenant };
  } catch {
    return undefined;
  }
}

export interface UserTokenVerifierOptions {
  /** Fetch used for JWKS; tests count calls through it. */
  fetch?: typeof fetch;
  cooldownMs?: number;
  now?: () => number;
}

export function userTokenVerifier(options: UserTokenVerifierOptions = {}) {
  const { cooldownMs = JWKS_COOLDOWN_MS, now = Date.now } = options;
  const resolvers = new Map<string, JWTVerifyGetKey>();

  function keysFor(settings: JwtSettings): JWTVerifyGetKey {
    const source = settings.jwksUrl ?? JSON.stringify(settings.publicJwk);
    let resolve = resolvers.get(source);
    if (!resolve) {
      resolve = settings.jwksUrl ? remoteKeys(settings.jwksUrl) : inlineKey(settings);
      resolvers.set(source, resolve);
    }
    return resolve;
  }

  function remoteKeys(url: string): JWTVerifyGetKey {
    const jwks = createRemoteJWKSet(new URL(url), {
      cooldownDuration: cooldownMs,
      cacheMaxAge: JWKS_MAX_AGE_MS,
      timeoutDuration: TIMEOUTS.jwksMs,
      ...(options.fetch ? { [customFetch]: options.fetch } : {}),
    });
    // jose refetches on every call while it has no key set at all; after a failed fetch, wait out
    // the cooldown so a flood of tokens cannot become a flood of JWKS requests.
    let failedAt = Number.NEGATIVE_INFINITY;
    return async (header, token) => {
      if (now() - failedAt < cooldownMs && !jwks.fresh) throw new TokenKeysUnavailableError('JWKS cooling down');
      try {
        return await jwks(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        failedAt = now();
        throw new TokenKeysUnavailableError('JWKS unavailable');
      }
    };
  }

  function inlineKey(settings: JwtSettings): JWTVerifyGetKey {
    const imported = new Map<string, ReturnType<typeof importJWK>>();
    return async (header) => {
      let key = imported.get(header.alg);
      if (!key) {
        key = importJWK(settings.publicJwk as Parameters<typeof importJWK>[0], header.alg);
        imported.set(header.alg, key);
      }
      return key;
    };
  }

  /** The user's claims if `token` verifies under `settings`; undefined for any invalid token. */
  async function verify(token: string, settings: JwtSettings): Promise<UserClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, keysFor(settings), {
        algorithms: settings.algorithms,
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      const claims = UserClaimsSchema.safeParse(payload);
      if (!claims.success) return undefined;
      return {
        subject: claims.data.sub,
        tenantId: claims.data.tenant,
        scopes: ROLE_SCOPES[claims.data.role],
        projectIds: claims.data.projects,
      };
    } catch (error) {
      if (error instanceof TokenKeysUnavailableError) throw error;
      if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  }

  return { verify };
}

export type UserTokenVerifier = ReturnType<typeof userTokenVerifier>;
