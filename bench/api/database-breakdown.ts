// Where the isolated retrieval's extra database time goes, in the same run as the ratio: the app's
// two retrieval statements through withTenant (context statement + RLS), the by-hand statements
// as the owner, and the by-hand statements behind the same context statement (which the owner's
// queries ignore). Differences of medians: `contextStatement` = the set_config statement's cost
// as one more statement in the batch; `rlsPredicates` = what the policies add on top of it.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import type { Settings } from '../../src/config/settings.ts';
import { httpSql } from '../../src/db/neon-client.ts';
import { chunksAtPositions, logRetrievalWithAudit } from '../../src/db/repositories/chunk-positions.ts';
import { tenantContextParams } from '../../src/db/tenant-context-sql.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { median, round } from '../support/stats.ts';
import { byHandStatements } from './by-hand-app.ts';
import { benchContext, retrievalAt } from './retrieval-fixture.ts';
import type { BenchTenant } from './seed-tenants.ts';

const ROUNDS = 1_500;
const WARMUP = 150;

export async function databaseBreakdown(settings: Settings, ownerUrl: string, tenants: BenchTenant[]) {
  const owner = drizzle({ client: httpSql({ ...settings, DATABASE_URL: ownerUrl }) });
  const samples = { isolated: [] as number[], byHandWithContextStatement: [] as number[], byHand: [] as number[] };
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const tenant = tenants[i % tenants.length] as BenchTenant;
    const ctx = benchContext(tenant);
    const { positions, retrieval, audit } = retrievalAt(tenant, `breakdown ${i}`);
    // withTenant's context statement, which the owner's statements then ignore.
    const [tenantParam, projectsParam] = tenantContextParams(ctx);
    const contextStatement = owner.execute(
      sql`select set_config('app.current_tenant', ${tenantParam}, true), set_config('app.allowed_projects', ${projectsParam}, true)`,
    );
    const paths = {
      isolated: () =>
        withTenant(ctx, settings, (scope) => [
          chunksAtPositions(scope, tenant.project, positions),
          logRetrievalWithAudit(scope, { ...retrieval, matches: positions }, audit),
        ]),
      byHandWithContextStatement: () =>
        owner.batch([contextStatement, ...byHandStatements(owner, tenant, { ...retrieval, positions })]),
      byHand: () => owner.batch(byHandStatements(owner, tenant, { ...retrieval, positions })),
    };
    const names = Object.keys(paths) as (keyof typeof paths)[];
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as keyof typeof paths; // rotate who goes first
      const started = performance.now();
      await paths[name]();
      if (i >= WARMUP) samples[name].push(performance.now() - started);
    }
  }
  const isolated = median(samples.isolated);
  const withContext = median(samples.byHandWithContextStatement);
  const byHand = median(samples.byHand);
  return {
    isolationDatabaseBatchMedianMs: {
      isolated: round(isolated),
      byHandWithContextStatement: round(withContext),
      byHand: round(byHand),
      contextStatement: round(withContext - byHand),
      rlsPredicates: round(isolated - withContext),
    },
  };
}
