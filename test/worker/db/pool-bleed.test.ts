// docs/threat-model.md T20: request 1 sets tenant A, request 2 on the same connection sets nothing → 0 rows.
// The context is transaction-local (set_config(…, true)), so it ends with request 1's transaction.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpSql, webSocketPool } from '../../../src/db/neon-client.ts';
import { chunks } from '../../../src/db/schema/documents.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { inTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { testSettings } from '../helpers/settings.ts';
import { createTenant, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
});

const PROBE = 'select pg_backend_pid() as pid, (select count(*)::int from chunks) as chunks';

describe('pool bleed (docs/threat-model.md T20)', () => {
  it('WebSocket: the next request on the same connection sees nothing', async () => {
    const pool = webSocketPool(testSettings()); // max 1: every request below shares one connection
    try {
      const first = await inTenantTransaction(pool, a.ctx, async ({ db }) => {
        const { rows } = await db.execute(sql.raw(PROBE));
        return rows[0] as { pid: number; chunks: number };
      });
      expect(first.chunks).toBe(3);
      const { rows } = await pool.query(PROBE);
      expect(rows[0]).toEqual({ pid: first.pid, chunks: 0 });
    } finally {
      await pool.end();
    }
  });

  it('HTTP: the next request served by the same pooled connection sees nothing', async () => {
    const [[first], backend] = await withTenant(a.ctx, testSettings(), ({ db }) => [
      db.select({ tenantId: chunks.tenantId }).from(chunks).limit(1),
      db.execute(sql`select pg_backend_pid() as pid`),
    ]);
    expect(first?.tenantId).toBe(a.tenantId);
    // Sequential requests reuse the endpoint's idle connection: the same backend answers.
    const rows = await httpSql(testSettings()).query(PROBE);
    expect(rows[0]).toEqual({ pid: backend.rows[0]?.pid, chunks: 0 });
  });

  it('break it: a session-level set_config(…, false) hands tenant A to the next request', async () => {
    const pool = webSocketPool(testSettings());
    try {
      const client = await pool.connect();
      await client.query('begin');
      await client.query(
        "select set_config('app.current_tenant', $1, false), set_config('app.allowed_projects', '*', false)",
        [a.tenantId],
      );
      await client.query('commit');
      client.release();
      const { rows } = await pool.query(PROBE);
      expect(rows[0].chunks).toBe(3); // request 2 set nothing and still reads A's rows
    } finally {
      await pool.end();
    }
  });
});
