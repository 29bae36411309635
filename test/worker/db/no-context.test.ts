// docs/threat-model.md T19: no tenant context → zero rows, never data: on a fresh connection (the setting is
// NULL) and on a reused one (after any SET LOCAL it reads back as '').
import { beforeAll, describe, expect, it } from 'vitest';
import { httpSql, webSocketPool } from '../../../src/db/neon-client.ts';
import { chunks } from '../../../src/db/schema/documents.ts';
import { inTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { testSettings } from '../helpers/settings.ts';
import { withBrokenWall } from './broken-wall.ts';
import { countAsAdmin, createTenant, type TenantFixture } from './fixtures.ts';

const TABLES = ['tenants', 'projects', 'documents', 'chunks', 'api_keys', 'audit_events'];

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
});

describe('no tenant context (docs/threat-model.md T19)', () => {
  it('HTTP, a request without context: every table answers zero rows', async () => {
    const sql = httpSql(testSettings());
    // NULL on a connection never used, '' on one a batch used before (the endpoint reuses them).
    const [setting] = await sql`select current_setting('app.current_tenant', true) as v`;
    expect([null, '']).toContain(setting?.v);
    for (const table of TABLES) {
      expect(await sql.query(`select * from ${table}`), table).toEqual([]);
    }
    expect(await countAsAdmin('documents', a.tenantId)).toBeGreaterThan(0);
  });

  it('WebSocket, fresh connection: NULL setting, zero rows, no error', async () => {
    const pool = webSocketPool(testSettings());
    try {
      const { rows } = await pool.query("select current_setting('app.current_tenant', true) as v");
      expect(rows).toEqual([{ v: null }]);
      expect((await pool.query('select * from chunks')).rows).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it("WebSocket, reused connection after a tenant's transaction: '' setting, zero rows, no error", async () => {
    const pool = webSocketPool(testSettings());
    try {
      const seen = await inTenantTransaction(pool, a.ctx, async ({ db }) => (await db.select().from(chunks)).length);
      expect(seen).toBe(3);
      const { rows } = await pool.query("select current_setting('app.current_tenant', true) as v, pg_backend_pid()");
      expect(rows[0].v).toBe('');
      for (const table of TABLES) expect((await pool.query(`select * from ${table}`)).rows, table).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('break it: with RLS disabled, a request without context reads every tenant’s rows', async () => {
    const leaked = await withBrokenWall(['alter table chunks disable row level security'], async ({ client }) => {
      return (await client.query('select tenant_id from chunks')).rows;
    });
    expect(leaked.length).toBeGreaterThan(0);
  });

  it("break it: without nullif, a reused connection's '' setting makes reads fail instead of answering zero rows", async () => {
    const predicate = "tenant_id = (select current_setting('app.current_tenant', true)::uuid)";
    const error = await withBrokenWall(
      [
        'drop policy chunks_tenant_select on chunks',
        `create policy bare_cast on chunks for select using (${predicate})`,
      ],
      async ({ client }) => {
        await client.query('savepoint s');
        await client.query("select set_config('app.current_tenant', $1, true)", [a.tenantId]);
        await client.query('rollback to savepoint s'); // the setting now reads back as ''
        return client.query('select * from chunks').catch((e: { code: string }) => e.code);
      },
    );
    expect(error).toBe('22P02'); // invalid input syntax for type uuid: ''
  });
});
