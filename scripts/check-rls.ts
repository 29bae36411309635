// `npm run check:rls`: the RLS guard. Checks the database at DATABASE_URL (an owner/admin URL of a
// migrated database) or, when it is not set, a throw-away local PostgreSQL migrated from drizzle/,
// plus the source under src/: the isolation walls and the schema lints (unindexed foreign keys,
// overlapping permissive policies). Prints one line per violation naming the object; exits 1 if any.
// Options: --src <dir> (default src), --runtime-role <name> (default bulkhead_app).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ALL_RULES, checkCatalogue } from './check-rls-catalogue.ts';
import { DEFAULT_OPTIONS, formatViolation, type Violation } from './check-rls-rules.ts';
import { checkSource } from './check-rls-source.ts';
import { withAdminDatabase } from './db/admin-database.ts';
import { migrate } from './db/migrations.ts';

const { values } = parseArgs({
  options: { src: { type: 'string', default: 'src' }, 'runtime-role': { type: 'string' } },
});
const options = { ...DEFAULT_OPTIONS, runtimeRole: values['runtime-role'] ?? DEFAULT_OPTIONS.runtimeRole };

async function checkDatabase(adminUrl: string): Promise<{ violations: Violation[]; tables: number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const query = async (text: string, params: unknown[]) => (await client.query(text, params)).rows;
    const tables = await query(
      `select count(*)::int as n from pg_attribute a join pg_class c on c.oid = a.attrelid
       where a.attname = 'tenant_id' and c.relkind in ('r', 'p') and c.relnamespace::regnamespace::text <> 'pg_catalog'`,
      [],
    );
    return { violations: await checkCatalogue(query, options, ALL_RULES), tables: Number(tables[0]?.n ?? 0) };
  } finally {
    await client.end();
  }
}

try {
  const fromDatabase = process.env.DATABASE_URL
    ? await checkDatabase(process.env.DATABASE_URL)
    : await withAdminDatabase('scratch', async (adminUrl) => {
        await migrate(adminUrl);
        return checkDatabase(adminUrl);
      });
  const violations = [...fromDatabase.violations, ...(await checkSource(resolve(values.src)))];
  for (const violation of violations) console.log(formatViolation(violation));
  if (violations.length > 0) {
    console.log(`check:rls: ${violations.length} violation(s)`);
    process.exit(1);
  }
  if (fromDatabase.tables === 0) {
    console.log('check:rls: no table has a tenant_id column: is the database migrated?');
    process.exit(1);
  }
  console.log(`check:rls: ok (${fromDatabase.tables} tenant-scoped tables, runtime role ${options.runtimeRole})`);
} catch (error) {
  console.error(`check:rls failed: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
