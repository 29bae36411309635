// Where the local PostgreSQL runs from when this process is root: the server runs as the OS user
// `postgres`, which must reach its binaries and data even when the project sits in a directory only
// root can enter (root's home in a fresh container, a `mktemp -d` folder).
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPostgres } from '../../../local/postgres.ts';
import {
  canTraverse,
  packagedBinaries,
  placeDataDir,
  runnableBinaries,
  type ServerUser,
  serverUser,
  sharedFolder,
} from '../../../local/postgres-placement.ts';

// Someone who is neither the owner nor in the group of the directories made here.
const other: ServerUser = {
  name: 'other',
  uid: (process.getuid?.() ?? 1000) + 4242,
  gid: (process.getgid?.() ?? 1000) + 4242,
};
const isRoot = process.getuid?.() === 0;

let work: string;
let closed: string; // 0700, as mktemp -d and root's home directory are
let open: string; // 0755 all the way down

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-placement-'));
  await chmod(work, 0o755);
  closed = join(work, 'closed');
  open = join(work, 'open');
  await mkdir(closed, { mode: 0o700 });
  await chmod(closed, 0o700);
  await mkdir(open);
  await chmod(open, 0o755);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const folderIn = (parent: string) => async () => {
  const folder = join(parent, 'shared');
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o755);
  return folder;
};

describe('canTraverse', () => {
  it('is false below a 0700 directory of someone else, true below 0755 ones', async () => {
    await mkdir(join(closed, 'project', '.bulkhead'), { recursive: true });
    expect(await canTraverse(join(closed, 'project', '.bulkhead'), other)).toBe(false);
    expect(await canTraverse(closed, other)).toBe(false);
    expect(await canTraverse(open, other)).toBe(true);
  });

  it('lets the owner in by the owner bits and root anywhere', async () => {
    const self = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    expect(await canTraverse(closed, self)).toBe(true);
    expect(await canTraverse(closed, { uid: 0, gid: 0 })).toBe(true);
  });

  it('is false for a path that does not exist', async () => {
    expect(await canTraverse(join(open, 'missing'), other)).toBe(false);
  });
});

describe('placeDataDir', () => {
  it('keeps the requested directory when the server user can reach it, or when not root', async () => {
    const requested = join(open, 'state', 'postgres');
    expect(await placeDataDir(requested, other, folderIn(open))).toBe(requested);
    expect(await placeDataDir(join(closed, 'postgres'), undefined, folderIn(open))).toBe(join(closed, 'postgres'));
  });

  it('moves it under the shared folder, with a name that is the same on the next run, when it cannot', async () => {
    const requested = join(closed, 'project', '.bulkhead', 'postgres');
    const placed = await placeDataDir(requested, other, folderIn(open));
    expect(dirname(placed)).toBe(join(open, 'shared'));
    expect(await canTraverse(dirname(placed), other)).toBe(true);
    expect(await placeDataDir(requested, other, folderIn(open))).toBe(placed);
    expect(await placeDataDir(join(closed, 'elsewhere'), other, folderIn(open))).not.toBe(placed);
  });
});

describe('sharedFolder', () => {
  it('is a 0755 folder that only this user can write to, which the server user can enter', async () => {
    const parent = join(work, 'tmp-ok');
    await mkdir(parent);
    await chmod(parent, 0o755);
    const folder = await sharedFolder(other, parent);
    expect(dirname(folder)).toBe(parent);
    expect((await stat(folder)).mode & 0o777).toBe(0o755);
    expect(await canTraverse(folder, other)).toBe(true);
  });

  it('says in one sentence what to do when the server user cannot enter the temp dir', async () => {
    await expect(sharedFolder(other, closed)).rejects.toThrow(
      /cannot enter .*set TMPDIR to a directory every user can enter/,
    );
  });

  it('refuses a folder that others can write to', async () => {
    const parent = join(work, 'tmp-unsafe');
    await mkdir(parent);
    await chmod(parent, 0o755);
    const folder = join(parent, `bulkhead-postgres-${process.getuid?.() ?? 0}`);
    await mkdir(folder);
    await chmod(folder, 0o777);
    await expect(sharedFolder(other, parent)).rejects.toThrow(/remove it and retry/);
  });
});

describe('runnableBinaries', () => {
  const fakeInstall = async (root: string) => {
    const home = join(root, 'native');
    await mkdir(join(home, 'bin'), { recursive: true });
    await mkdir(join(home, 'lib'), { recursive: true });
    for (const name of ['initdb', 'postgres']) await writeFile(join(home, 'bin', name), '#!/bin/sh\n', { mode: 0o755 });
    return {
      initdb: join(home, 'bin', 'initdb'),
      postgres: join(home, 'bin', 'postgres'),
      home,
      version: '0.0.0-test',
    };
  };

  it('leaves binaries the server user can reach where they are', async () => {
    const installed = await fakeInstall(join(open, 'pkg'));
    expect(await runnableBinaries(installed, other, folderIn(open))).toEqual(installed);
  });

  it('copies binaries it cannot reach into the shared folder, once per version', async () => {
    const installed = await fakeInstall(join(closed, 'node_modules', 'pkg'));
    const copy = await runnableBinaries(installed, other, folderIn(open));
    expect(copy.home).toBe(join(open, 'shared', 'postgresql-0.0.0-test'));
    expect(copy.postgres).toBe(join(copy.home, 'bin', 'postgres'));
    expect(await canTraverse(dirname(copy.postgres), other)).toBe(true);
    expect((await stat(copy.postgres)).mode & 0o777).toBe(0o755);
    expect(await runnableBinaries(installed, other, folderIn(open))).toEqual(copy);
  });
});

describe.skipIf(!isRoot)('as root, from a directory the postgres user cannot enter', () => {
  it('starts PostgreSQL as that user and removes the throw-away data on stop', async () => {
    const user = await serverUser();
    expect(user?.name).toBe('postgres');
    // The packaged binaries as a checkout under root's home would hold them.
    const packaged = await packagedBinaries();
    const home = join(closed, 'checkout', 'native');
    await cp(packaged.home, home, { recursive: true, verbatimSymlinks: true });
    const binaries = {
      ...packaged,
      version: `${packaged.version}-placement-test`,
      home,
      initdb: join(home, 'bin', 'initdb'),
      postgres: join(home, 'bin', 'postgres'),
    };
    const postgres = await startLocalPostgres({
      dataDir: join(closed, 'checkout', '.bulkhead', 'postgres'),
      persistent: false,
      binaries,
      sharedFolder: folderIn(open),
    });
    try {
      expect(dirname(postgres.dataDir)).toBe(join(open, 'shared'));
      const client = new pg.Client({ connectionString: postgres.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ dir: string }>('select current_setting($1) as dir', ['data_directory']);
      await client.end();
      expect(await realpath(rows[0]?.dir ?? '')).toBe(await realpath(postgres.dataDir));
      const owner = execFileSync('stat', ['-c', '%U', postgres.dataDir], { encoding: 'utf8' }).trim();
      expect(owner).toBe('postgres');
    } finally {
      await postgres.stop();
    }
    await expect(stat(postgres.dataDir)).rejects.toThrow(/ENOENT/);
  }, 120_000);
});
