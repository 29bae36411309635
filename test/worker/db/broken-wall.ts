// "Break it and watch it go red": a wall is taken down as the owner and probed as the runtime
// role inside one transaction that is always rolled back, so no other test ever sees the broken
// state. The probe runs exactly as request code would: context set with set_config(…, true).
import type { PoolClient } from '@neondatabase/serverless';
import { webSocketPool } from '../../../src/db/neon-client.ts';
import { SET_TENANT_CONTEXT_SQL, tenantContextParams } from '../../../src/db/tenant-context-sql.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { adminSettings } from '../helpers/settings.ts';

export interface Probe {
  client: PoolClient;
  /** Sets the tenant context as withTenant does. */
  enter(ctx: TenantContext): Promise<void>;
}

export async function withBrokenWall<T>(breakSql: string[], probe: (p: Probe) => Promise<T>): Promise<T> {
  const pool = webSocketPool(adminSettings());
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const statement of breakSql) await client.query(statement);
    await client.query('set local role bulkhead_app');
    return await probe({
      client,
      enter: async (ctx) => {
        await client.query(SET_TENANT_CONTEXT_SQL, tenantContextParams(ctx));
      },
    });
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
    await pool.end();
  }
}

/** The probe's error, or undefined when it succeeded (for asserting that a wall refused). */
export async function errorOf(work: Promise<unknown>): Promise<{ code?: string; message: string } | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}
