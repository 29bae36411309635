// Fidelity of the local Neon WebSocket proxy, driven by the real @neondatabase/serverless Pool.

import type { Pool } from '@neondatabase/serverless';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpSql, webSocketPool } from '../../../src/db/neon-client.ts';
import { adminSettings, testSettings } from '../helpers/settings.ts';

let pool: Pool | undefined;
afterEach(async () => {
  await pool?.end();
  pool = undefined;
});

beforeAll(async () => {
  const admin = httpSql(adminSettings());
  await admin.transaction([
    admin`create table if not exists fidelity_ws (id int primary key, note text)`,
    admin`grant select, insert, delete on fidelity_ws to bulkhead_app`,
    admin`delete from fidelity_ws`,
  ]);
});

describe('local Neon WebSocket proxy', () => {
  it('runs parameterised queries over the Postgres wire protocol', async () => {
    pool = webSocketPool(testSettings());
    const { rows } = await pool.query('select $1::int * 2 as n, current_user as who', [21]);
    expect(rows).toEqual([{ n: 42, who: 'bulkhead_app' }]);
  });

  it('runs interactive transactions whose statements depend on earlier results', async () => {
    pool = webSocketPool(testSettings());
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('bulkhead.probe', 'in-tx', true)");
      const { rows } = await client.query('insert into fidelity_ws values (1, $1) returning id', ['first']);
      await client.query('insert into fidelity_ws values ($1 + 1, current_setting($2))', [
        rows[0].id,
        'bulkhead.probe',
      ]);
      const inside = await client.query('select note from fidelity_ws order by id');
      expect(inside.rows.map((r) => r.note)).toEqual(['first', 'in-tx']);
      await client.query('rollback');
      const after = await client.query('select count(*)::int as c from fidelity_ws');
      expect(after.rows[0].c).toBe(0);
      // transaction-local settings end with the transaction
      const setting = await client.query("select current_setting('bulkhead.probe', true) as v");
      expect(setting.rows[0].v).toBe('');
    } finally {
      client.release();
    }
  });

  it('surfaces Postgres errors with their SQLSTATE', async () => {
    pool = webSocketPool(testSettings());
    await expect(pool.query('select 1 / 0')).rejects.toMatchObject({ code: '22012' });
  });

  it('rejects a wrong password', async () => {
    const settings = testSettings();
    const url = new URL(settings.DATABASE_URL);
    url.password = 'wrong-password';
    pool = webSocketPool({ ...settings, DATABASE_URL: url.toString() });
    await expect(pool.query('select 1')).rejects.toMatchObject({ code: '28P01' });
  });
});
