// docs/threat-model.md T24: the runtime role cannot TRUNCATE, cannot SET ROLE to an owner, cannot change
// RLS or create objects, and resolves API keys only through the one SECURITY DEFINER function.
// (That only withTenant sets the context is a source check: test/node/db/context-writers.test.ts.)
import type { PoolClient } from '@neondatabase/serverless';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../../src/db/api-key-resolution.ts';
import { httpSql, webSocketPool } from '../../../src/db/neon-client.ts';
import { testSettings } from '../helpers/settings.ts';
import { errorOf, withBrokenWall } from './broken-wall.ts';
import { admin, countAsAdmin, createTenant, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
});

/** Runs `statement` as the runtime role on a connection of its own; the error code, or 'ok'. */
async function asRuntimeRole(statement: string): Promise<string> {
  const pool = webSocketPool(testSettings());
  const client: PoolClient = await pool.connect();
  try {
    return (await errorOf(client.query(statement)))?.code ?? 'ok';
  } finally {
    client.release();
    await pool.end();
  }
}

describe('the runtime role (docs/threat-model.md T24)', () => {
  it.each([
    ['truncate chunks', '42501'],
    ['truncate tenants cascade', '42501'],
    ['set role bulkhead_owner', '42501'],
    ['set role postgres', '42501'],
    ['alter table chunks disable row level security', '42501'],
    ['alter table chunks no force row level security', '42501'],
    ['drop policy chunks_tenant_select on chunks', '42501'],
    ['create table public.mine (id int)', '42501'],
    ['create function public.mine() returns int language sql as $$ select 1 $$', '42501'],
    ['alter role bulkhead_app bypassrls', '42501'],
    ['delete from audit_events', '42501'],
    ['select secret_hash from api_keys', 'ok'], // under RLS: nothing without a context
  ])('%s → %s', async (statement, code) => {
    expect(await asRuntimeRole(statement)).toBe(code);
    expect(await countAsAdmin('chunks', a.tenantId)).toBe(3);
  });

  it('resolves a key only through bulkhead_auth.resolve_api_key, which returns resolution fields only', async () => {
    const sql = admin();
    const keyId = crypto.randomUUID();
    await sql.transaction([
      sql`insert into api_keys (tenant_id, id, lookup_id, secret_hash, kind, scopes, all_projects, label)
          values (${a.tenantId}, ${keyId}, 'lookup0test0', 'sha256:hash', 'secret', '{admin}', false, 'secret label')`,
      sql`insert into api_key_projects (tenant_id, api_key_id, project_id) values (${a.tenantId}, ${keyId}, ${a.projectIds[0]})`,
    ]);
    const runtime = httpSql(testSettings());
    expect(await runtime`select * from api_keys where lookup_id = 'lookup0test0'`).toEqual([]);
    const resolved = await runtime`select * from bulkhead_auth.resolve_api_key('lookup0test0')`;
    expect(Object.keys(resolved[0] ?? {}).sort()).toEqual(
      [
        'all_projects',
        'key_id',
        'kind',
        'project_ids',
        'scopes',
        'secret_hash',
        'tenant_id',
        'tenant_status',
        'tenant', // the tenant's settings (bulkhead_auth.tenant_document), never documents or other keys
        'platform_maintenance',
      ].sort(),
    );
    expect(await resolveApiKey(testSettings(), 'lookup0test0')).toEqual([
      {
        keyId,
        tenantId: a.tenantId,
        kind: 'secret',
        scopes: ['admin'],
        projectIds: [a.projectIds[0]],
        secretHash: 'sha256:hash',
        tenantStatus: 'active',
        tenant: expect.objectContaining({ id: a.tenantId, status: 'active', locked: false }),
        platformMaintenance: false,
      },
    ]);
    expect(await resolveApiKey(testSettings(), 'no-such-key')).toEqual([]);
    await sql`update api_keys set revoked_at = now() where id = ${keyId}`;
    expect(await resolveApiKey(testSettings(), 'lookup0test0')).toEqual([]); // revoked: 401 at once
  });

  it('break it: granted TRUNCATE, the runtime role empties every tenant at once', async () => {
    const left = await withBrokenWall(['grant truncate on chunks to bulkhead_app'], async ({ client }) => {
      await client.query('truncate chunks cascade');
      await client.query('reset role');
      return (await client.query('select count(*)::int as n from chunks')).rows[0].n;
    });
    expect(left).toBe(0);
  });

  it('break it: a runtime role that is a member of the owner becomes it and reads any tenant without a context', async () => {
    // SET ROLE is checked against the session's login role, so this needs a real login: a scratch
    // copy of the runtime role (the real one is never changed, other tests use it).
    const role = `scratch_app_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const sql = admin();
    await sql.query(`create role ${role} login password 'scratch' noinherit in role bulkhead_owner`);
    const settings = testSettings();
    const url = new URL(settings.DATABASE_URL);
    url.username = role;
    url.password = 'scratch';
    const pool = webSocketPool({ ...settings, DATABASE_URL: url.toString() });
    try {
      const client = await pool.connect();
      await client.query('begin');
      await client.query('set local role bulkhead_owner');
      await client.query('alter table chunks no force row level security'); // rolled back below
      // No tenant context at all, yet A's rows come back.
      const { rows } = await client.query('select count(*)::int as n from chunks where tenant_id = $1', [a.tenantId]);
      await client.query('rollback');
      client.release();
      expect(rows[0].n).toBe(3);
    } finally {
      await pool.end();
      await sql.query(`drop role ${role}`);
    }
  });
});
