// docs/threat-model.md T1–T3 through the whole app: end-user JWTs with pinned algorithms and required
// claims, refused before any key lookup when malformed, and a JWKS fetched at most once per cooldown.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { devJwtKeys } from '../../../local/dev-keys.ts';
import { createApp } from '../../../src/app.ts';
import type { KeyStore } from '../../../src/tenancy/key-store.ts';
import { userTokenVerifier } from '../../../src/tenancy/user-token.ts';
import { inMemoryKeyStore } from '../helpers/in-memory-key-store.ts';
import { provisionedRegistry } from '../helpers/provisioned-registry.ts';
import { call, demoTenant, globexUserToken, outcome } from './harness.ts';

const globex = await demoTenant('globex');
const acme = await demoTenant('acme');
const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const claims = {
  tenant: globex.id,
  role: 'viewer',
  sub: 'u1',
  iss: 'https://login.globex.example/',
  aud: 'bulkhead-api',
};

/** The whole app with a key store that counts lookups: "no database call" made visible. */
function countingApp() {
  const inner = inMemoryKeyStore(provisionedRegistry().apiKeys());
  const counter = { lookups: 0 };
  const keyStore: KeyStore = {
    findByKeyId: (id) => {
      counter.lookups++;
      return inner.findByKeyId(id);
    },
  };
  return { app: createApp({ keyStore }), counter };
}

async function withWidgetKey(token: string, app?: ReturnType<typeof createApp>) {
  const headers = { authorization: `Bearer ${token}`, 'x-api-key': globex.publishableKey, origin: globex.origin };
  return call('/v1/whoami', { slug: 'globex', headers }, app);
}

describe('malformed and unsigned tokens (docs/threat-model.md T1)', async () => {
  const { publicJwk } = await devJwtKeys('globex');
  const hmacWith = (secret: Uint8Array) =>
    new SignJWT({ tenant: globex.id, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(claims.iss)
      .setAudience(claims.aud)
      .setExpirationTime('5m')
      .sign(secret);
  const tokens: Record<string, string> = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: 4_000_000_000 })}.`,
    'malformed parts': 'not.a.jwt',
    'two dots, no json': 'a.b.c',
    'HS256 keyed with the public JWK': await hmacWith(new TextEncoder().encode(JSON.stringify(publicJwk))),
    'HS256 keyed with the public key bytes': await hmacWith(
      Uint8Array.from(atob(publicJwk.x.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  };

  for (const [name, token] of Object.entries(tokens)) {
    it(`${name} → 401 before any key lookup`, async () => {
      const { app, counter } = countingApp();
      const res = await withWidgetKey(token, app);
      expect(await outcome(res)).toEqual({
        status: 401,
        code: 'unauthorized',
        message: 'Missing or invalid credentials',
      });
      expect(counter.lookups).toBe(0);
    });
  }

  it('an empty bearer → 401', async () => {
    expect((await call('/v1/whoami', { slug: 'globex', headers: { authorization: 'Bearer ' } })).status).toBe(401);
  });
});

describe('claims (docs/threat-model.md T2)', () => {
  it('a valid token makes the user the principal, capped by the widget key', async () => {
    const res = await withWidgetKey(await globexUserToken({ role: 'admin', sub: 'user-7' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { principal: { kind: string; id: string }; scopes: string[] };
    expect(body.principal).toEqual({ kind: 'user', id: 'user-7' });
    expect(body.scopes.sort()).toEqual(['chat', 'retrieval']);
  });

  const bad: Record<string, Parameters<typeof globexUserToken>[1]> = {
    'no exp': { without: ['exp'] },
    'no iss': { without: ['iss'] },
    'no aud': { without: ['aud'] },
    'no sub': { without: ['sub'] },
    expired: { adjust: (jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60) },
    'wrong iss': { adjust: (jwt) => jwt.setIssuer('https://login.globex.example.evil/') },
    'wrong aud': { adjust: (jwt) => jwt.setAudience('someone-else') },
  };
  for (const [name, options] of Object.entries(bad)) {
    it(`${name} → 401`, async () => {
      const token = await globexUserToken({}, options);
      const res = await call('/v1/whoami', { slug: 'globex', headers: { authorization: `Bearer ${token}` } });
      expect(await outcome(res)).toMatchObject({ status: 401, code: 'unauthorized' });
    });
  }

  it('an unknown role → 401', async () => {
    const token = await globexUserToken({ role: 'owner' });
    expect((await call('/v1/whoami', { slug: 'globex', headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
  });
});

describe('JWKS (docs/threat-model.md T3)', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'acme-1', alg: 'ES256', use: 'sig' }] };
  const acmeToken = (kid: string) =>
    new SignJWT({ tenant: acme.id, role: 'editor' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('acme-user')
      .setIssuer('https://auth.acme.example/')
      .setAudience('bulkhead-api')
      .setExpirationTime('5m')
      .sign(privateKey);
  const appWithIdp = (answer: () => Response) => {
    const fetches: string[] = [];
    const fetch = (async (input: RequestInfo | URL) => {
      fetches.push(String(input));
      return answer();
    }) as typeof globalThis.fetch;
    return { app: createApp({ userTokens: userTokenVerifier({ fetch }) }), fetches };
  };
  const asAcmeUser = async (app: ReturnType<typeof createApp>, kid: string) =>
    call('/v1/whoami', { slug: 'acme', headers: { authorization: `Bearer ${await acmeToken(kid)}` } }, app);

  it('a flood of random kids gets 401s and the JWKS is fetched once per cooldown', async () => {
    const { app, fetches } = appWithIdp(() => Response.json(jwks));
    expect((await asAcmeUser(app, 'acme-1')).status).toBe(200);
    for (let i = 0; i < 25; i++) expect((await asAcmeUser(app, crypto.randomUUID())).status).toBe(401);
    expect(fetches).toEqual(['https://auth.acme.example/.well-known/jwks.json']);
  });

  it('an unreachable identity provider → 503, and no refetch storm while it is down', async () => {
    const { app, fetches } = appWithIdp(() => new Response('down', { status: 502 }));
    for (let i = 0; i < 10; i++) {
      const res = await asAcmeUser(app, crypto.randomUUID());
      expect(await outcome(res)).toMatchObject({ status: 503, code: 'unavailable' });
    }
    expect(fetches).toHaveLength(1);
  });
});
