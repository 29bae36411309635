// A migrated scratch database on the test cluster, for breaking things where no other test looks.
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../../scripts/db/migrations.ts';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(prefix: string, migrationsDir?: string): Promise<ScratchDatabase> {
  const adminUrl = inject('stack').adminUrl;
  const name = `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
  await onServer(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString(), { dir: migrationsDir });
  return {
    url: url.toString(),
    drop: () => onServer(adminUrl, (client) => client.query(`drop database ${name} with (force)`)).then(() => {}),
  };
}

/** Runs `breakSql` and `work` in one transaction on `url`, then rolls it back. */
export async function inRolledBackTransaction<T>(
  url: string,
  breakSql: string[],
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const statement of breakSql) await client.query(statement);
    return await work(client);
  } finally {
    await client.query('rollback').catch(() => {});
    await client.end();
  }
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
