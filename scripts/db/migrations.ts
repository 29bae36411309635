// Applies drizzle/ migrations (drizzle-kit's journal and bookkeeping table, so `drizzle-kit migrate`
// and this agree). Differs from drizzle's migrator in one way: each migration runs as the migration
// role (SET LOCAL ROLE), so that role, never the admin or the runtime role, owns every table, type
// and policy. Only a migration that starts with ADMIN_MARKER (the one creating the roles) runs as
// the connecting admin.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { MIGRATION_ROLE } from '../../src/db/schema/roles.ts';
import { inAdminTransaction } from './admin-transaction.ts';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', 'drizzle');
export const ADMIN_MARKER = '-- bulkhead: run as admin';

interface JournalEntry {
  tag: string;
  when: number;
}

export interface Migration {
  tag: string;
  createdAt: number;
  hash: string;
  statements: string[];
  runAsAdmin: boolean;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const journal = JSON.parse(await readFile(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return Promise.all(
    journal.entries.map(async ({ tag, when }) => {
      const text = await readFile(join(dir, `${tag}.sql`), 'utf8');
      const statements = text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      const hash = createHash('sha256').update(text).digest('hex');
      return { tag, createdAt: when, hash, statements, runAsAdmin: text.startsWith(ADMIN_MARKER) };
    }),
  );
}

/** Applies pending migrations in one transaction: all of them or none. Returns the tags applied. */
export async function migrate(adminUrl: string, options: { dir?: string } = {}): Promise<string[]> {
  const migrations = await readMigrations(options.dir);
  return inAdminTransaction(adminUrl, async (client) => {
    // Two migrators at once (dev and a script) would race on the same objects: take turns.
    await client.query(`select pg_advisory_xact_lock(hashtext('bulkhead:migrate'))`);
    await client.query('create schema if not exists drizzle');
    await client.query(
      'create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)',
    );
    const last = await client.query<{ created_at: string | null }>(
      'select max(created_at)::text as created_at from drizzle.__drizzle_migrations',
    );
    const lastApplied = Number(last.rows[0]?.created_at ?? 0);
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => m.createdAt > lastApplied)) {
      await runAsMigrationRole(client, migration);
      await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
        migration.hash,
        migration.createdAt,
      ]);
      applied.push(migration.tag);
    }
    return applied;
  });
}

async function runAsMigrationRole(client: pg.Client, migration: Migration): Promise<void> {
  if (!migration.runAsAdmin) await client.query(`set local role ${MIGRATION_ROLE}`);
  try {
    for (const statement of migration.statements) await client.query(statement);
  } catch (error) {
    throw new Error(`migration ${migration.tag} failed: ${(error as Error).message}`, { cause: error });
  }
  // Back to the admin for the bookkeeping table, which the admin owns.
  await client.query('set local role none');
}
