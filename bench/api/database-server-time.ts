// Postgres's own work for the retrieval's two statements, from EXPLAIN (ANALYZE) on the same
// database as the ratio: planning and execution under RLS (runtime role, tenant context set, the
// app's SQL) against the by-hand statements as the owner. Server-side times carry none of the
// client, stand-in or scheduler noise of the latency figures, so this is the stable part of what
// RLS costs a retrieval. Parse and rewrite (where Postgres expands the policies) are not included:
// EXPLAIN reports only planning and execution.
import { drizzle } from 'drizzle-orm/neon-http';
import type { PgRaw } from 'drizzle-orm/pg-core/query-builders/raw';
import type { Settings } from '../../src/config/settings.ts';
import { httpSql } from '../../src/db/neon-client.ts';
import { chunksAtPositions, logRetrievalWithAudit } from '../../src/db/repositories/chunk-positions.ts';
import { SET_TENANT_CONTEXT_SQL, tenantContextParams } from '../../src/db/tenant-context-sql.ts';
import type { TenantDatabase } from '../../src/db/tenant-scope.ts';
import { median, round } from '../support/stats.ts';
import { byHandStatements } from './by-hand-app.ts';
import { benchContext, retrievalAt } from './retrieval-fixture.ts';
import type { BenchTenant } from './seed-tenants.ts';

const ROUNDS = 600;
const WARMUP = 100;
const EXPLAIN = 'explain (analyze, timing off, summary, format json) ';

interface ServerTime {
  planning: number;
  execution: number;
}

export async function databaseServerTime(settings: Settings, ownerUrl: string, tenants: BenchTenant[]) {
  const runtime = httpSql(settings);
  const owner = httpSql({ ...settings, DATABASE_URL: ownerUrl });
  // Only builds the statements (getQuery); they are sent through the raw clients with EXPLAIN.
  const builder = drizzle({ client: owner });
  const samples = { rls: [] as ServerTime[], byHand: [] as ServerTime[] };
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const tenant = tenants[i % tenants.length] as BenchTenant;
    const { positions, retrieval, audit } = retrievalAt(tenant, `server time ${i}`);
    const ctx = benchContext(tenant);
    const scope = { ctx, db: builder as unknown as TenantDatabase };
    const app = [
      chunksAtPositions(scope, tenant.project, positions),
      logRetrievalWithAudit(scope, { ...retrieval, matches: positions }, audit),
    ];
    const byHand = byHandStatements(builder, tenant, { ...retrieval, positions });
    const explained = (client: typeof owner, statements: readonly unknown[]) =>
      statements.map((statement) => {
        const { sql, params } = (statement as PgRaw<unknown>).getQuery();
        return client.query(EXPLAIN + sql, params);
      });
    const paths = {
      rls: async () => {
        const [, ...plans] = await runtime.transaction([
          runtime.query(SET_TENANT_CONTEXT_SQL, tenantContextParams(ctx)),
          ...explained(runtime, app),
        ]);
        return serverTime(plans);
      },
      byHand: async () => serverTime(await owner.transaction(explained(owner, byHand))),
    };
    const order = i % 2 === 0 ? (['rls', 'byHand'] as const) : (['byHand', 'rls'] as const);
    for (const name of order) {
      const time = await paths[name]();
      if (i >= WARMUP) samples[name].push(time);
    }
  }
  const summary = (times: ServerTime[]) => ({
    planning: round(median(times.map((t) => t.planning))),
    execution: round(median(times.map((t) => t.execution))),
    total: round(median(times.map((t) => t.planning + t.execution))),
  });
  const rls = summary(samples.rls);
  const byHand = summary(samples.byHand);
  return {
    isolationDatabaseServerMs: { rls, byHand, rlsExtra: round(rls.total - byHand.total), statements: 2 },
  };
}

type ExplainRows = { 'QUERY PLAN': { 'Planning Time': number; 'Execution Time': number }[] }[];

/** Planning and execution summed over the statements' EXPLAIN (ANALYZE, FORMAT JSON) results. */
function serverTime(results: unknown[]): ServerTime {
  let planning = 0;
  let execution = 0;
  for (const rows of results as ExplainRows[]) {
    const plan = rows[0]?.['QUERY PLAN'][0];
    if (!plan) throw new Error('EXPLAIN returned no plan');
    planning += plan['Planning Time'];
    execution += plan['Execution Time'];
  }
  return { planning, execution };
}
