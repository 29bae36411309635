// Prepares a Postgres server for Bulkhead: the application database and the runtime role the
// Worker connects as. Roles carry passwords, so they live here and not in migrations.
import pg from 'pg';

export const DATABASE_NAME = 'bulkhead';
export const RUNTIME_ROLE = 'bulkhead_app';
// Local only (loopback); real deployments set DATABASE_URL to their own runtime credentials.
const RUNTIME_PASSWORD = 'bulkhead-local-runtime';

export interface PreparedDatabase {
  /** Owner/admin URL of the application database: migrations and seeding. */
  adminUrl: string;
  /** The runtime role's URL: what the Worker uses. */
  runtimeUrl: string;
}

export async function prepareDatabase(serverAdminUrl: string): Promise<PreparedDatabase> {
  const admin = new pg.Client({ connectionString: serverAdminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE_NAME}`);
    // The runtime role may read and write rows, under RLS, and nothing else.
    await admin.query(`
      do $$ begin
        if not exists (select from pg_roles where rolname = '${RUNTIME_ROLE}') then
          create role ${RUNTIME_ROLE} login password '${RUNTIME_PASSWORD}'
            nosuperuser nobypassrls nocreaterole nocreatedb noinherit;
        end if;
      end $$`);
  } finally {
    await admin.end();
  }
  const adminUrl = withDatabase(serverAdminUrl, DATABASE_NAME);
  const runtime = new URL(adminUrl);
  runtime.username = RUNTIME_ROLE;
  runtime.password = RUNTIME_PASSWORD;
  return { adminUrl, runtimeUrl: runtime.toString() };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
