// Whole-app harness for the edge tests: the demo tenants of configs/tenants/provisioning.json with
// their development keys, URLs on their subdomains, and end-user tokens signed for them.
import { env } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { devApiKey, devJwtKeys } from '../../../local/dev-keys.ts';
import { createApp } from '../../../src/app.ts';
import { assertConformsToDocument, documentOf } from '../api/openapi-conformance.ts';

export type Slug = 'acme' | 'globex' | 'initech' | 'umbrella' | 'hooli';

export interface DemoTenant {
  slug: Slug;
  id: string;
  origin: string;
  publishableKey: string;
  secretKey: string;
}

export async function demoTenant(slug: Slug): Promise<DemoTenant> {
  const provisioned = provisioning.tenants.find((tenant) => tenant.slug === slug);
  if (!provisioned) throw new Error(`no demo tenant ${slug}`);
  return {
    slug,
    id: provisioned.id,
    origin: provisioned.allowedOrigins[0] as string,
    publishableKey: (await devApiKey(slug, 'publishable')).key,
    secretKey: (await devApiKey(slug, 'secret')).key,
  };
}

export const ALL_TENANT_IDS = provisioning.tenants.map((tenant) => tenant.id);

/** `https://{slug}.{API_HOST}{path}`, or the bare API host without a slug. */
export function tenantUrl(path: string, slug?: string): string {
  return `https://${slug ? `${slug}.` : ''}${env.API_HOST}${path}`;
}

export interface Call {
  slug?: string;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  /** Overrides of the Worker's bindings, e.g. { ENVIRONMENT: 'production' }. */
  bindings?: Partial<Env>;
}

const defaultApp = createApp();

/** A request through the app; the real app's answers must be ones its OpenAPI document describes. */
export async function call(path: string, request: Call = {}, app = defaultApp): Promise<Response> {
  const url = request.url ?? tenantUrl(path, request.slug);
  const init: RequestInit = { method: request.method ?? 'GET', headers: request.headers, body: request.body };
  const res = await app.request(url, init, { ...env, ...request.bindings });
  // Apps a test builds with probe routes are its own; the Worker's app is held to its document.
  if (app === defaultApp)
    await assertConformsToDocument(await documentOf(app, tenantUrl('/'), env), init.method ?? 'GET', url, res);
  return res;
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

/** Status and envelope without the request id, for "identical answer" comparisons. */
export async function outcome(res: Response): Promise<{ status: number; code?: string; message?: string }> {
  const body = (await res.json()) as Partial<ErrorBody>;
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

export interface UserTokenClaims {
  tenant?: string;
  role?: string;
  projects?: string[];
  sub?: string;
}

export interface TokenOptions {
  /** Registered claims to leave out, to prove they are required. */
  without?: ReadonlyArray<'exp' | 'aud' | 'iss' | 'sub'>;
  adjust?: (jwt: SignJWT) => SignJWT;
}

/** An end-user token for globex, signed with its development key (the registry's publicJwk). */
export async function globexUserToken(claims: UserTokenClaims = {}, options: TokenOptions = {}) {
  const globex = await demoTenant('globex');
  const { privateKey, publicJwk } = await devJwtKeys('globex');
  const without = new Set(options.without);
  let jwt = new SignJWT({ tenant: globex.id, role: 'viewer', ...claims }).setProtectedHeader({
    alg: 'EdDSA',
    kid: publicJwk.kid,
  });
  if (!without.has('sub')) jwt = jwt.setSubject(claims.sub ?? 'user-42');
  if (!without.has('iss')) jwt = jwt.setIssuer('https://login.globex.example/');
  if (!without.has('aud')) jwt = jwt.setAudience('bulkhead-api');
  if (!without.has('exp')) jwt = jwt.setExpirationTime('5m');
  return (options.adjust ? options.adjust(jwt) : jwt).setIssuedAt().sign(privateKey);
}
