// docs/threat-model.md T11 as a table: API key × subdomain × end-user JWT × `x-tenant-id` × environment.
// Sources that agree resolve; any disagreement is 403 and never the other tenant; nothing is 401.
import { describe, expect, it } from 'vitest';
import { call, demoTenant, globexUserToken } from './harness.ts';

// A = globex (its users' tokens are signed with a development key), B = acme.
const a = await demoTenant('globex');
const b = await demoTenant('acme');
const jwtA = await globexUserToken({ sub: 'user-a' });
const jwtSignedByAClaimingB = await globexUserToken({ tenant: b.id });
const keys = { A: a.secretKey, B: b.secretKey, bad: `${a.secretKey.slice(0, -1)}x` };
const slugs = { A: a.slug, B: b.slug, unknown: 'nobody' };
const jwts = { A: jwtA, claimsB: jwtSignedByAClaimingB, garbage: 'e30.e30.AAAA' };
const devHeaders = { A: a.id, B: b.id, unknownTenant: '00000000-0000-4000-8000-000000000000' };

interface Row {
  key?: keyof typeof keys;
  sub?: keyof typeof slugs;
  jwt?: keyof typeof jwts;
  dev?: keyof typeof devHeaders;
  env?: 'test' | 'development' | 'production';
  status: number;
  /** For 200: which tenant and which kind of principal. */
  as?: ['A' | 'B', string];
}

const rows: Row[] = [
  { status: 401 },
  { key: 'A', status: 200, as: ['A', 'secret_key'] },
  { sub: 'A', status: 401 },
  { key: 'A', sub: 'A', status: 200, as: ['A', 'secret_key'] },
  { key: 'A', sub: 'B', status: 403 },
  { key: 'B', sub: 'A', status: 403 },
  { key: 'bad', sub: 'A', status: 401 },
  { key: 'A', sub: 'unknown', status: 404 },
  // No credentials: 401 whatever the subdomain names (docs/threat-model.md T44).
  { sub: 'unknown', status: 401 },
  { sub: 'A', jwt: 'A', status: 200, as: ['A', 'user'] },
  { jwt: 'A', status: 401 },
  { key: 'A', jwt: 'A', status: 200, as: ['A', 'user'] },
  { key: 'A', sub: 'A', jwt: 'A', status: 200, as: ['A', 'user'] },
  { key: 'B', jwt: 'A', status: 403 },
  { sub: 'B', jwt: 'A', status: 403 },
  { key: 'B', sub: 'B', jwt: 'A', status: 403 },
  { key: 'A', sub: 'A', jwt: 'claimsB', status: 403 },
  { sub: 'A', jwt: 'garbage', status: 401 },
  { dev: 'A', env: 'test', status: 401 },
  { dev: 'A', env: 'production', status: 401 },
  { key: 'B', dev: 'A', env: 'test', status: 200, as: ['B', 'secret_key'] },
  { key: 'B', dev: 'A', env: 'production', status: 200, as: ['B', 'secret_key'] },
  { sub: 'B', jwt: 'A', dev: 'A', env: 'production', status: 403 },
  { dev: 'A', env: 'development', status: 200, as: ['A', 'development'] },
  { key: 'B', dev: 'A', env: 'development', status: 403 },
  { sub: 'B', dev: 'A', env: 'development', status: 403 },
  { key: 'A', sub: 'A', dev: 'A', env: 'development', status: 200, as: ['A', 'secret_key'] },
  { sub: 'A', jwt: 'A', dev: 'A', env: 'development', status: 200, as: ['A', 'user'] },
  { jwt: 'A', dev: 'B', env: 'development', status: 403 },
  { dev: 'unknownTenant', env: 'development', status: 403 },
  { key: 'A', dev: 'unknownTenant', env: 'development', status: 403 },
];

const label = (row: Row) =>
  `key=${row.key ?? '-'} sub=${row.sub ?? '-'} jwt=${row.jwt ?? '-'} dev=${row.dev ?? '-'} env=${row.env ?? 'test'}`;

describe('tenant resolution matrix', () => {
  it.each(rows.map((row) => [label(row), row] as const))('%s', async (_, row) => {
    const headers: Record<string, string> = {};
    if (row.key) headers['x-api-key'] = keys[row.key];
    if (row.jwt) headers.authorization = `Bearer ${jwts[row.jwt]}`;
    if (row.dev) headers['x-tenant-id'] = devHeaders[row.dev];
    const res = await call('/v1/whoami', {
      slug: row.sub && slugs[row.sub],
      headers,
      bindings: { ENVIRONMENT: row.env ?? 'test' },
    });
    const text = await res.text();
    expect(res.status, text).toBe(row.status);
    if (row.as) {
      const body = JSON.parse(text) as { tenantId: string; principal: { kind: string } };
      expect(body.tenantId).toBe(row.as[0] === 'A' ? a.id : b.id);
      expect(body.principal.kind).toBe(row.as[1]);
    } else {
      // A refusal never names either tenant.
      expect(text).not.toContain(a.id);
      expect(text).not.toContain(b.id);
    }
  });

  it('a publishable key counts only from its own allowed origin', async () => {
    const widget = (origin?: string) =>
      call('/v1/whoami', { headers: { 'x-api-key': a.publishableKey, ...(origin ? { origin } : {}) } }).then(
        (r) => r.status,
      );
    expect(await widget(a.origin)).toBe(200);
    expect(await widget()).toBe(403);
    expect(await widget(b.origin)).toBe(403);
  });
});
