// One fuzzed request: an operation, a calling tenant, and mutations of its credentials (another
// tenant's key, truncated or extended keys, two keys, forged JWTs), host, origin, path id, query
// and body (valid, boundary, invalid, duplicate and unknown fields, deep nesting, empty, not JSON,
// wrong content type). The caller is the tenant whose key is sent: anything of any other tenant in
// the answer is a leak, unless the request itself carried it.
import fc from 'fast-check';
import type { JsonSchema, Operation } from './operations.ts';
import { anyJson, hostileString, type IdPools, invalidValue, validObject, validValue } from './values.ts';

export interface FuzzTenant {
  id: string;
  slug: string;
  origin: string;
  canary: string;
  keys: Record<'secret' | 'publishable' | 'chatOnly' | 'readOnly', string>;
  projectIds: string[];
  documentIds: string[];
  conversationIds: string[];
  /** The widget user each of conversationIds was issued to, by index. */
  widgetUsers: string[];
}

export interface FuzzWorld {
  apiHost: string;
  tenants: FuzzTenant[];
  operations: Operation[];
}

export interface FuzzRequest {
  callerIndex: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Short, for reports: what was generated. */
  label: string;
}

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);

/** Percent-encoding that also sends a lone surrogate, as the bytes a sloppy client would (invalid UTF-8). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\u0001')).replace(/%01/g, '%ED%A0%80');
  }
};

/** base64url of the UTF-8 bytes (lone surrogates become U+FFFD, as TextEncoder does). */
const base64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

function jwt(header: object, claims: object, signature = 'c2ln') {
  const part = (value: object) => base64url(JSON.stringify(value));
  return `${part(header)}.${part(claims)}.${signature}`;
}

function credentialArb(world: FuzzWorld, caller: FuzzTenant) {
  const others = world.tenants.filter((t) => t.id !== caller.id);
  const own = Object.entries(caller.keys) as Array<[string, string]>;
  const ownKey = pick(own);
  const otherKey = pick(others.flatMap((t) => Object.values(t.keys)));
  const now = 1_800_000_000;
  const forged = fc.record({
    alg: pick(['RS256', 'ES256', 'none', 'HS256', 'EdDSA', '']),
    kid: fc.oneof(fc.constant(undefined), hostileString, fc.constant('kid-1')),
    tenant: pick([caller.id, ...others.map((t) => t.id), 'x']),
    exp: fc.oneof(fc.constant(now), fc.integer(), fc.constant(undefined)),
    sig: fc.oneof(fc.constant('c2ln'), fc.constant(''), fc.base64String({ maxLength: 90 })),
  });
  type Cred = { label: string; headers: Record<string, string> };
  // Most requests carry a working key so they reach the routes; the rest probe the resolver.
  const valid: fc.Arbitrary<Cred> = fc.oneof(
    { weight: 3, arbitrary: ownKey.map(([name, key]) => ({ label: `key:${name}`, headers: { 'x-api-key': key } })) },
    ownKey.map(([name, key]) => ({ label: `bearer:${name}`, headers: { authorization: `Bearer ${key}` } })),
  );
  return fc.oneof(
    { weight: 30, arbitrary: valid },
    fc.record({ key: ownKey, cut: fc.integer({ min: 1, max: 20 }) }).map(({ key: [name, key], cut }) => ({
      label: `key:${name}:truncated`,
      headers: { 'x-api-key': key.slice(0, Math.max(0, key.length - cut)) },
    })),
    fc.record({ key: ownKey, tail: fc.string({ minLength: 1, maxLength: 8 }) }).map(({ key: [name, key], tail }) => ({
      label: `key:${name}:extended`,
      headers: { 'x-api-key': `${key}${tail}` },
    })),
    fc.record({ key: ownKey, at: fc.nat() }).map(({ key: [name, key], at }) => {
      const i = at % key.length;
      const flipped = key[i] === 'a' ? 'b' : 'a';
      return { label: `key:${name}:flipped`, headers: { 'x-api-key': key.slice(0, i) + flipped + key.slice(i + 1) } };
    }),
    fc.record({ a: ownKey, b: otherKey }).map(({ a: [name, key], b }) => ({
      label: `key:${name}+bearer:other`,
      headers: { 'x-api-key': key, authorization: `Bearer ${b}` },
    })),
    fc.record({ key: ownKey, token: forged }).map(({ key: [name, key], token }) => ({
      label: `key:${name}+jwt:${token.alg}`,
      headers: {
        'x-api-key': key,
        authorization: `Bearer ${jwt({ alg: token.alg, kid: token.kid, typ: 'JWT' }, { tenant_id: token.tenant, sub: 'u1', exp: token.exp }, token.sig)}`,
      },
    })),
    forged.map((token) => ({
      label: `jwt:${token.alg}`,
      headers: {
        authorization: `Bearer ${jwt({ alg: token.alg, kid: token.kid }, { tenant_id: token.tenant, sub: 'u' }, token.sig)}`,
      },
    })),
    fc.record({ key: ownKey, tenant: pick(others.map((t) => t.id)) }).map(({ key: [name, key], tenant }) => ({
      label: `key:${name}+x-tenant-id:other`,
      headers: { 'x-api-key': key, 'x-tenant-id': tenant },
    })),
    fc.oneof(hostileString, fc.constantFrom('bh_sk_', 'bh_pk_fake', 'Bearer', 'null')).map((junk) => ({
      label: 'key:junk',
      headers: { 'x-api-key': junk },
    })),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', 'bearer a.b', 'Bearer a b c').map((auth) => ({
      label: 'authorization:junk',
      headers: { authorization: auth },
    })),
    fc.constant({ label: 'no-credentials', headers: {} }),
  );
}

function hostArb(world: FuzzWorld, caller: FuzzTenant) {
  const others = world.tenants.filter((t) => t.id !== caller.id);
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(world.apiHost) },
    { weight: 1, arbitrary: fc.constant(`${caller.slug}.${world.apiHost}`) },
    { weight: 1, arbitrary: pick(others.map((t) => `${t.slug}.${world.apiHost}`)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(`evil.${world.apiHost}`, `${world.apiHost}.evil.example`, 'a.b.c.example'),
    },
  );
}

function originArb(world: FuzzWorld, caller: FuzzTenant) {
  const others = world.tenants.filter((t) => t.id !== caller.id);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.constant(caller.origin) },
    { weight: 1, arbitrary: pick(others.map((t) => t.origin)) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'https://evil.example', `${caller.origin}.evil.example`, '') },
  );
}

function pathIdArb(caller: FuzzTenant, foreign: string[]) {
  const own = [...caller.documentIds, ...caller.conversationIds];
  return fc.oneof(
    { weight: 5, arbitrary: pick(own) },
    { weight: 3, arbitrary: pick(foreign) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: pick(own).map((id) => id.toUpperCase()) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        hostileString.map((s) => encode(s.slice(0, 300))),
        pick(own).map((id) => encode(encode(id))),
        pick(own).map((id) => `${id}%00`),
        fc.constantFrom('%2e%2e', '..%2fwhoami', '%252e', 'null', '0', '-1', '1e9', '%F0%9F%99%82', '%ZZ'),
      ),
    },
  );
}

/** A plausible-looking cursor: base64url of JSON [timestamp, id], with impossible timestamps too. */
const cursorArb = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.oneof(
            {
              weight: 6,
              arbitrary: fc
                .record({
                  y: fc.integer({ min: 0, max: 9999 }),
                  mo: fc.integer({ min: 0, max: 19 }),
                  d: fc.integer({ min: 0, max: 39 }),
                  h: fc.integer({ min: 0, max: 29 }),
                  mi: fc.integer({ min: 0, max: 69 }),
                  s: fc.integer({ min: 0, max: 69 }),
                  off: fc.constantFrom('+00', 'Z', '', '-15', '+16', '+05:60', '+15:59', '-23:59'),
                  frac: fc.constantFrom('', '.5', '.123456', '.1234567'),
                })
                .map(({ y, mo, d, h, mi, s, off, frac }) => {
                  const p = (n: number, w = 2) => String(n).padStart(w, '0');
                  return `${p(y, 4)}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}${frac}${off}`;
                }),
            },
            hostileString,
            anyJson,
          ),
          fc.oneof({ weight: 6, arbitrary: fc.uuid() }, hostileString, anyJson),
        )
        .map((pair) => JSON.stringify(pair)),
    },
    anyJson.map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 60 }),
  )
  .map(base64url);

function queryArb(s: JsonSchema, pools: IdPools) {
  const entry = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.constant('limit'),
        fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -5, max: 120 }).map(String) }, hostileString),
      ),
    },
    { weight: 4, arbitrary: fc.tuple(fc.constant('cursor'), cursorArb) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constant('projectId'), validValue({ type: 'string' }, pools, 'projectId').map(String)),
    },
    fc.tuple(fc.constantFrom('tenantId', 'unknown', 'limit'), fc.string({ maxLength: 10 })),
  );
  // Known parameters come from the schema; the rest are unknown or duplicated on purpose.
  const names = Object.keys(s.properties ?? {});
  const named = fc.tuple(names.length ? pick(names) : fc.constant('limit'), fc.string({ maxLength: 12 }));
  return fc
    .array(fc.oneof({ weight: 8, arbitrary: entry }, named), { maxLength: 3 })
    .map((entries) => (entries.length ? `?${entries.map(([k, v]) => `${k}=${encode(v)}`).join('&')}` : ''));
}

type Body = { label: string; text?: string; contentType?: string };

function bodyArb(s: JsonSchema | undefined, pools: IdPools): fc.Arbitrary<Body> {
  const asJson = (label: string) => (value: unknown) => ({
    label,
    text: JSON.stringify(value),
    contentType: 'application/json',
  });
  const object = s ?? { type: 'object', properties: {} };
  const valid = validObject(object, pools);
  const names = Object.keys(object.properties ?? {});
  const oneFieldBroken =
    names.length === 0
      ? valid.map(asJson('valid'))
      : fc
          .record({ base: valid, name: pick(names) })
          .chain(({ base, name }) =>
            invalidValue(object.properties?.[name] ?? {}).map((bad) => ({ ...base, [name]: bad })),
          )
          .map(asJson('field-invalid'));
  return fc.oneof(
    { weight: 6, arbitrary: valid.map(asJson('valid')) },
    { weight: 4, arbitrary: oneFieldBroken },
    {
      weight: 1,
      arbitrary: fc
        .record({
          base: valid,
          extra: pick(['tenantId', 'namespace', 'role', 'objectKey', '__proto__', 'constructor']),
        })
        .map(({ base, extra }) => ({ ...base, [extra]: 'x' }))
        .map(asJson('unknown-field')),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ base: valid, name: names.length ? pick(names) : fc.constant('query') })
        .map(({ base, name }) => {
          const text = JSON.stringify(base);
          const dup = `"${name}":${JSON.stringify('dup')}`;
          return {
            label: 'duplicate-field',
            text: text === '{}' ? `{${dup},${dup}}` : `{${dup},${text.slice(1)}`,
            contentType: 'application/json',
          };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => ({
        label: 'deep-nesting',
        text: `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        contentType: 'application/json',
      })),
    },
    { weight: 1, arbitrary: anyJson.map(asJson('any-json')) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant<Body>({ label: 'empty', text: '', contentType: 'application/json' }),
        fc.constant<Body>({ label: 'no-body', contentType: 'application/json' }),
        fc.constant<Body>({ label: 'not-json', text: '{"query": ', contentType: 'application/json' }),
        fc
          .string({ unit: 'binary', maxLength: 200 })
          .map((text) => ({ label: 'binary', text, contentType: 'application/json' })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          base: valid,
          type: fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'application/json; charset=utf-16',
            'application/jsonx',
            undefined,
          ),
        })
        .map(({ base, type }) => ({
          label: `content-type:${type ?? 'none'}`,
          text: JSON.stringify(base),
          contentType: type,
        })),
    },
  );
}

/** The arbitrary for one request against `world`. */
export function requestArb(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const foreignOf = (caller: FuzzTenant) =>
    world.tenants
      .filter((t) => t.id !== caller.id)
      .flatMap((t) => [...t.projectIds, ...t.documentIds, ...t.conversationIds]);
  return fc
    .record({
      callerIndex: fc.nat({ max: world.tenants.length - 1 }),
      op: pick(world.operations),
      odd: fc.oneof(
        { weight: 20, arbitrary: fc.constant(undefined) },
        fc.constantFrom('PUT', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'),
      ),
    })
    .chain(({ callerIndex, op, odd }) => {
      const caller = world.tenants[callerIndex] as FuzzTenant;
      const foreign = foreignOf(caller);
      const pools: IdPools = { own: caller.projectIds, foreign };
      return fc
        .record({
          credential: credentialArb(world, caller),
          host: hostArb(world, caller),
          origin: originArb(world, caller),
          id: pathIdArb(caller, foreign),
          query: op.query ? queryArb(op.query, pools) : fc.constant(''),
          body: op.method === 'POST' || odd ? bodyArb(op.body, pools) : fc.constant<Body>({ label: 'none' }),
          widgetUser: fc.oneof(
            { weight: 4, arbitrary: caller.widgetUsers.length ? pick(caller.widgetUsers) : fc.constant(undefined) },
            { weight: 1, arbitrary: pick(world.tenants.flatMap((t) => t.widgetUsers)) },
            { weight: 1, arbitrary: fc.oneof(hostileString, fc.constant(undefined)).map((v) => v?.slice(0, 200)) },
          ),
          idempotencyKey: fc.oneof(
            { weight: 8, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom('k1', 'k2', 'same-key-everywhere') },
            { weight: 1, arbitrary: hostileString.map((v) => v.slice(0, 400)) },
          ),
        })
        .map(({ credential, host, origin, id, query, body, widgetUser, idempotencyKey }) => {
          const headers: Record<string, string> = { ...credential.headers };
          // A widget's publishable key comes from a browser, which sends its page's origin.
          const sentOrigin = origin ?? (credential.label.includes('publishable') ? caller.origin : undefined);
          if (sentOrigin !== undefined) headers.origin = sentOrigin;
          if (body.contentType !== undefined) headers['content-type'] = body.contentType;
          if (op.widgetUser && widgetUser !== undefined) headers['x-widget-user'] = widgetUser;
          if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
          const method = odd ?? op.method;
          const path = op.path.replaceAll('{id}', id);
          return {
            callerIndex,
            method,
            url: `https://${host}${path}${query}`,
            headers,
            body: method === 'GET' || method === 'HEAD' ? undefined : body.text,
            label: `${method} ${op.path} ${credential.label} body:${body.label}`,
          };
        });
    });
}
