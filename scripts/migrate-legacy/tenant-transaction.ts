// One transaction in one tenant's context, as the runtime role: the same two settings the Worker
// sets (src/db/tenant-context-sql.ts), transaction-local, so RLS decides what each statement may
// touch and a row cannot land in, or be read from, another tenant.
import type pg from 'pg';
import { ALL_PROJECTS } from '../../src/db/schema/tenant-policies.ts';
import { SET_TENANT_CONTEXT_SQL } from '../../src/db/tenant-context-sql.ts';

export async function inTenantTransaction<T>(
  client: pg.Client,
  tenantId: string,
  work: (client: pg.Client) => Promise<T>,
  settings: Record<string, string> = {},
): Promise<T> {
  await client.query('begin');
  try {
    await client.query(SET_TENANT_CONTEXT_SQL, [tenantId, ALL_PROJECTS]);
    for (const [name, value] of Object.entries(settings)) {
      await client.query('select set_config($1, $2, true)', [name, value]);
    }
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** `($1, $2, …), (…)` for `rows` rows of `width` values. */
export function valuesList(rows: number, width: number, casts: string[] = []): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${r * width + c + 1}${casts[c] ?? ''}`);
    tuples.push(`(${cells.join(', ')})`);
  }
  return tuples.join(', ');
}
