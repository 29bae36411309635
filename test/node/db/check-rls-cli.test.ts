// `npm run check:rls` end to end: the CLI against a healthy database, against one migrated with a
// deliberately broken migration file, and the source rule against src/ and a broken copy.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../../../scripts/check-rls-source.ts';
import { MIGRATIONS_DIR } from '../../../scripts/db/migrations.ts';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

const run = promisify(execFile);
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'check-rls-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function checkRls(databaseUrl: string, args: string[] = []): Promise<{ code: number; output: string }> {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  try {
    const { stdout } = await run(process.execPath, ['scripts/check-rls.ts', ...args], { env });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** drizzle/ plus one more migration, as if someone had committed `sql`. */
async function migrationsWith(sql: string): Promise<string> {
  const dir = await tempDir();
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8'));
  const last = journal.entries.at(-1);
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '9999_broken' });
  await writeFile(journalFile, JSON.stringify(journal));
  await writeFile(join(dir, '9999_broken.sql'), sql);
  return dir;
}

async function scratch(prefix: string, dir?: string): Promise<ScratchDatabase> {
  const db = await createScratchDatabase(prefix, dir);
  cleanup.push(db.drop);
  return db;
}

describe('npm run check:rls', () => {
  it('passes a freshly migrated database and the real src/', { timeout: 60_000 }, async () => {
    const { code, output } = await checkRls((await scratch('check_cli_ok')).url);
    expect(output).toContain('check:rls: ok (14 tenant-scoped tables');
    expect(code).toBe(0);
  });

  it('exits non-zero and names the table after a migration that drops FORCE', { timeout: 60_000 }, async () => {
    const dir = await migrationsWith('ALTER TABLE chunks NO FORCE ROW LEVEL SECURITY;');
    const { code, output } = await checkRls((await scratch('check_cli_broken', dir)).url);
    expect(code).toBe(1);
    expect(output).toContain('✗ rls-forced: chunks');
  });

  it('exits non-zero and names file and line for a session-level set_config in the source', {
    timeout: 60_000,
  }, async () => {
    const src = await tempDir();
    await writeFile(
      join(src, 'leaky.ts'),
      '// fine: set_config(…, true)\nexport const q = "select set_config(\'app.current_tenant\', $1, false)";\n',
    );
    const { code, output } = await checkRls((await scratch('check_cli_src')).url, ['--src', src]);
    expect(code).toBe(1);
    expect(output).toMatch(/✗ session-set-config: .*leaky\.ts:2/);
  });
});

describe('source rule', () => {
  it('finds nothing in src/', async () => {
    expect(await checkSource('src')).toEqual([]);
  });

  it('flags set_config with anything but a literal true, and session-level SET', async () => {
    const src = await tempDir();
    await writeFile(
      join(src, 'a.ts'),
      [
        'client.query("select set_config(\'app.current_tenant\', $1, true)")', // fine
        'client.query("select set_config(\'app.current_tenant\', $1, false)")',
        "client.query('select set_config($1, $2, isLocal)')",
        "client.query('SET app.current_tenant = 1')",
        "client.query('set role bulkhead_owner')",
        "client.query('SET LOCAL app.current_tenant = 1')", // fine
        'db.update(t).set({ a: 1 }); // UPDATE t SET a = 1 is fine',
      ].join('\n'),
    );
    const found = await checkSource(src);
    expect(found.map((v) => [v.rule, v.object.split(':').at(-1)])).toEqual([
      ['session-set-config', '2'],
      ['session-set-config', '3'],
      ['session-set', '4'],
      ['session-set', '5'],
    ]);
  });
});
