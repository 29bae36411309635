// docs/threat-model.md T23: a leaky function in a WHERE clause only ever sees the caller's rows, and views are
// security_invoker. The function raises an error carrying any row it sees that is not the caller's,
// so a single leaked row fails the query.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../../scripts/check-rls-catalogue.ts';
import { errorOf, withBrokenWall } from './broken-wall.ts';
import { createTenant, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

// Created inside the rolled-back transaction: cheap (COST 0.0001) so the planner wants to run it
// first, and it reports every row whose canary is not the caller's.
const createSpy = (callerCanary: string) => [
  `create function public.spy(content text) returns boolean language plpgsql cost 0.0001 as $$
   begin
     if content not like '${callerCanary}%' then raise exception 'spy saw %', content; end if;
     return true;
   end $$`,
  'grant execute on function public.spy(text) to bulkhead_app',
];
// A sequential scan, so the only thing between the spy and other tenants' rows is the policy.
const SEQ_SCAN = ['set local enable_indexscan = off', 'set local enable_bitmapscan = off'];

const spyQuery = 'select count(*)::int as n from chunks where spy(content)';

describe('leaky functions and views (docs/threat-model.md T23)', () => {
  it('a leaky function in WHERE sees only the caller’s rows', async () => {
    const result = await withBrokenWall([...createSpy(a.canary), ...SEQ_SCAN], async ({ client, enter }) => {
      await enter(a.ctx);
      return (await client.query(spyQuery)).rows[0].n;
    });
    expect(result).toBe(3);
  });

  it('break it: marked LEAKPROOF, the same function runs before the policy and sees B’s rows', async () => {
    const error = await withBrokenWall(
      [...createSpy(a.canary), 'alter function public.spy(text) leakproof', ...SEQ_SCAN],
      async ({ client, enter }) => {
        await enter(a.ctx);
        return errorOf(client.query(spyQuery));
      },
    );
    // Any row that is not A's proves the leak (other test files' tenants share this database).
    expect(error?.message).toMatch(/^spy saw /);
    expect(error?.message).not.toContain(a.canary);
  });

  it('a security_invoker view shows the caller only its own rows', async () => {
    const tenants = await withBrokenWall(
      [
        'create view public.chunk_titles with (security_invoker = true) as select tenant_id, content from chunks',
        'grant select on public.chunk_titles to bulkhead_app',
      ],
      async ({ client, enter }) => {
        await enter(a.ctx);
        return (await client.query('select distinct tenant_id from public.chunk_titles')).rows;
      },
    );
    expect(tenants).toEqual([{ tenant_id: a.tenantId }]);
  });

  it('break it: a view owned by a superuser without security_invoker leaks every tenant, and the guard names it', async () => {
    const { seen, violations } = await withBrokenWall(
      [
        'create view public.chunk_titles as select tenant_id, content from chunks',
        'grant select on public.chunk_titles to bulkhead_app',
      ],
      async ({ client, enter }) => {
        await enter(a.ctx);
        const rows = (
          await client.query('select tenant_id from public.chunk_titles where tenant_id = $1', [b.tenantId])
        ).rows;
        const found = await checkCatalogue(async (text, params) => (await client.query(text, params)).rows);
        return { seen: rows.length, violations: found };
      },
    );
    expect(seen).toBe(3); // B's chunks, read by A
    expect(violations).toEqual([expect.objectContaining({ rule: 'view-security-invoker', object: 'chunk_titles' })]);
  });
});
