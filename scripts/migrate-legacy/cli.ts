// `npm run migrate:legacy -- --plan <plan.json> [--apply | --validate-only | --rollback] [--report-dir <dir>]`
// Dry run by default. Exit 0 when the run is OK; 1 when the dry run finds losses, apply refuses or
// validation fails; 2 for a bad plan or command line. docs/migrating.md explains each mode.
import { parseArgs } from 'node:util';
import { type Env, MissingSetting } from './connections.ts';
import { PlanError, readPlan } from './plan.ts';
import { appliedTenants, summary, writeReport } from './report.ts';
import { type Mode, runMigration } from './run-migration.ts';

export async function main(argv: string[], env: Env = process.env): Promise<number> {
  let values: { plan?: string; apply?: boolean; 'validate-only'?: boolean; rollback?: boolean; 'report-dir'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        plan: { type: 'string' },
        apply: { type: 'boolean' },
        'validate-only': { type: 'boolean' },
        rollback: { type: 'boolean' },
        'report-dir': { type: 'string', default: '.bulkhead/migrations' },
      },
    }));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const modes = (['apply', 'validate-only', 'rollback'] as const).filter((m) => values[m]);
  if (!values.plan || modes.length > 1) {
    console.error('usage: npm run migrate:legacy -- --plan <plan.json> [--apply | --validate-only | --rollback]');
    return 2;
  }
  const mode: Mode = modes[0] ?? 'dry-run';
  const dir = values['report-dir'] as string;
  try {
    const plan = await readPlan(values.plan);
    const tenants = mode === 'rollback' ? await appliedTenants(dir, plan.id) : undefined;
    const report = await runMigration(plan, { mode, env, tenants });
    const file = await writeReport(dir, report);
    console.log(summary(report));
    console.log(`\nreport: ${file}`);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof PlanError || error instanceof MissingSetting) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
