// Fidelity of the local Neon SQL-over-HTTP endpoint, driven by the real @neondatabase/serverless.
import { NeonDbError } from '@neondatabase/serverless';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpSql } from '../../../src/db/neon-client.ts';
import { adminSettings, testSettings } from '../helpers/settings.ts';

const sql = () => httpSql(testSettings());

beforeAll(async () => {
  const admin = httpSql(adminSettings());
  await admin.transaction([
    admin`create table if not exists fidelity_http (id int primary key, note text)`,
    admin`grant select, insert, delete on fidelity_http to bulkhead_app`,
    admin`delete from fidelity_http`,
  ]);
});

describe('local Neon SQL-over-HTTP', () => {
  it('runs a parameterised query and the client parses Postgres text by type', async () => {
    const rows = await sql()`select ${41}::int + 1 as n, ${'héllo'}::text as t, true as b, null::int as z,
      '{"a":[1,2]}'::jsonb as j, array[1,2,3]::int[] as arr, '2024-05-01T10:00:00Z'::timestamptz as at,
      ${new Uint8Array([1, 2, 255])}::bytea as bin`;
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row.n).toBe(42);
    expect(row.t).toBe('héllo');
    expect(row.b).toBe(true);
    expect(row.z).toBeNull();
    expect(row.j).toEqual({ a: [1, 2] });
    expect(row.arr).toEqual([1, 2, 3]);
    expect((row.at as Date).toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect([...(row.bin as Uint8Array)]).toEqual([1, 2, 255]);
  });

  it('returns full results with fields and command when asked', async () => {
    const result = await sql().query('select 1 as one', [], { fullResults: true });
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(1);
    expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['one', 23]]);
  });

  it('runs a batch as one transaction: a failing statement rolls back the earlier ones', async () => {
    const q = sql();
    await expect(
      q.transaction([q`insert into fidelity_http values (1, 'kept?')`, q`select 1 / 0`]),
    ).rejects.toMatchObject({ name: 'NeonDbError', code: '22012' });
    expect(await q`select * from fidelity_http where id = 1`).toEqual([]);
    const [inserted, counted] = await q.transaction([
      q`insert into fidelity_http values (2, 'committed') returning id`,
      q`select count(*)::int as c from fidelity_http where id = 2`,
    ]);
    expect(inserted).toEqual([{ id: 2 }]);
    expect(counted).toEqual([{ c: 1 }]);
  });

  it('honours isolation level, read-only and deferrable batch options', async () => {
    const q = sql();
    const results = (await q.transaction(
      [q`show transaction_isolation`, q`show transaction_read_only`, q`show transaction_deferrable`],
      { isolationLevel: 'Serializable', readOnly: true, deferrable: true },
    )) as Array<Array<Record<string, string>>>;
    const [level, readOnly, deferrable] = results.map((rows) => rows[0]);
    expect(level?.transaction_isolation).toBe('serializable');
    expect(readOnly?.transaction_read_only).toBe('on');
    expect(deferrable?.transaction_deferrable).toBe('on');
    await expect(
      q.transaction([q`insert into fidelity_http values (3, 'no')`], { readOnly: true }),
    ).rejects.toMatchObject({ code: '25006' });
  });

  it("answers errors in Neon's shape: NeonDbError with the Postgres fields", async () => {
    const error = await sql()`selec 1`.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: '42601', severity: 'ERROR', position: '1' });
    const missing = await sql()`select * from no_such_table`.catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: '42P01' });
  });

  it('refuses a string holding several statements', async () => {
    await expect(sql().query('select 1; select 2')).rejects.toMatchObject({ code: '42601' });
  });

  it('resets session state after each request (DISCARD ALL), as Neon does', async () => {
    const q = sql();
    const [first] = await q`select set_config('bulkhead.probe', 'leaked', false) as v, pg_backend_pid() as pid`;
    // Sequential requests reuse the idle pooled connection; prove it is the same one.
    const [second] = await q`select current_setting('bulkhead.probe', true) as v, pg_backend_pid() as pid`;
    expect(second?.pid).toBe(first?.pid);
    expect(first?.v).toBe('leaked');
    // RESET leaves a once-set placeholder reading '' (not NULL): why RLS predicates use nullif.
    expect(second?.v).toBe('');
  });

  it('rejects a wrong password', async () => {
    const settings = testSettings();
    const url = new URL(settings.DATABASE_URL);
    url.password = 'wrong-password';
    const error = await httpSql({ ...settings, DATABASE_URL: url.toString() })`select 1`.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NeonDbError', code: '28P01' });
  });
});
