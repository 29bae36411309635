// The plan file: the sample plans of configs/migration/ are valid, and a bad plan is refused with
// each problem naming its field, before anything is opened. The CLI's exit codes: 2 for a bad plan,
// 1 for a dry run that would lose data, 0 for one that would not, with a report written each time.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../scripts/migrate-legacy/cli.ts';
import { PlanError, parsePlan, readPlan } from '../../../scripts/migrate-legacy/plan.ts';
import { createLegacyApp } from './legacy-app.ts';

// Each run boots real connections on a shared, busy machine: seconds, not the default 5.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const root = join(import.meta.dirname, '..', '..', '..');
const samples = join(root, 'configs', 'migration');

async function problemsOf(document: unknown): Promise<string[]> {
  const error = await parsePlan(document).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PlanError)) throw new Error('expected the plan to be refused');
  return error.problems;
}

const sample = async () => JSON.parse(await readFile(join(samples, 'one-tenant-per-user.json'), 'utf8'));

describe('plan file', () => {
  it('accepts every sample plan, with defaults filled in', async () => {
    const files = (await readdir(samples)).filter((f) => f.endsWith('.json') && f !== 'plan.schema.json');
    expect(files.sort()).toEqual(['explicit.json', 'one-tenant-per-user.json', 'single-tenant.json']);
    for (const file of files) {
      const plan = await readPlan(join(samples, file));
      expect(plan.batchSize).toBe(500);
      expect(plan.target.databaseUrlEnv).toBe('DATABASE_URL');
    }
    const explicit = await readPlan(join(samples, 'explicit.json'));
    expect(explicit.owners).toMatchObject({ mapping: 'explicit', nullOwner: 'refuse' });
  });

  it('names the field of each problem', async () => {
    const plan = await sample();
    delete plan.source.tables[0].text;
    plan.source.tables[0].owner = 'user id';
    plan.batchSize = 0;
    plan.source.objects.pattern = 'documents/{name}/{owner}';
    const problems = await problemsOf(plan);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^source\.tables\.0: must have required property 'text'/),
        expect.stringMatching(/^source\.tables\.0\.owner: /),
        expect.stringMatching(/^batchSize: must be >= 1/),
        expect.stringMatching(/^source\.objects\.pattern: must match pattern/),
      ]),
    );
  });

  it('refuses references the schema cannot check', async () => {
    const plan = await sample();
    plan.source.vectors.table = 'nothing';
    expect(await problemsOf(plan)).toEqual(['source.vectors.table: names no table of source.tables']);
    const copyWithoutChunks = await sample();
    delete copyWithoutChunks.source.tables[0].chunks;
    expect((await problemsOf(copyWithoutChunks))[0]).toMatch(/^source\.tables\.0\.chunks: copying vectors/);
    const explicit = JSON.parse(await readFile(join(samples, 'explicit.json'), 'utf8'));
    explicit.owners.assign['99'] = 'nobody';
    expect(await problemsOf(explicit)).toEqual(['owners.assign.99: names no tenant of owners.tenants']);
    const existingWithoutProject = JSON.parse(await readFile(join(samples, 'explicit.json'), 'utf8'));
    delete existingWithoutProject.owners.tenants[0].projectId;
    expect((await problemsOf(existingWithoutProject)).join('\n')).toMatch(
      /owners\.tenants\.0: must have property projectId/,
    );
  });
});

describe('npm run migrate:legacy', () => {
  const run = promisify(execFile);
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const fn of cleanup) await fn();
  });

  async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [join(root, 'scripts/migrate-legacy/cli.ts'), ...args], {
        env: { ...process.env, ...env },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  it('exits 2 for a bad plan, 1 for a lossy dry run, 0 for a clean one, writing the report', async () => {
    const app = await createLegacyApp({
      users: 2,
      documentsPerUser: 2,
      chunksPerDocument: 1,
      unowned: 1,
      orphans: false,
    });
    cleanup.push(() => app.close());
    const dir = await mkdtemp(join(tmpdir(), 'migrate-legacy-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const planFile = join(dir, 'plan.json');
    const reports = join(dir, 'reports');
    const args = ['--plan', planFile, '--report-dir', reports];

    // The command itself, once, as npm runs it.
    const lossy = app.planDocument({ mapping: 'one-tenant-per-user', slug: `u{owner}-${app.run}` });
    await writeFile(planFile, JSON.stringify(lossy));
    const refused = await cli(args, app.env);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/dry-run: FAILED/);
    expect(refused.output).toMatch(/1 rows of documents have no owner/);
    const report = JSON.parse(await readFile(join(reports, `${lossy.id}.dry-run.json`), 'utf8'));
    expect(report.survey.refusedRows).toHaveLength(1);

    // The other exit codes through the same entry point, in this process (a process each is slow here).
    const output = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const clean = { ...lossy, owners: { ...lossy.owners, nullOwner: { slug: `nobody-${app.run}`, name: 'Nobody' } } };
      await writeFile(planFile, JSON.stringify(clean));
      expect(await main(args, app.env)).toBe(0);
      expect(output.mock.calls.flat().join('\n')).toMatch(/dry-run: OK/);

      expect(await main(args, { ...app.env, LEGACY_DATABASE_URL: '' })).toBe(2);
      expect(errors.mock.calls.flat().join('\n')).toMatch(
        /LEGACY_DATABASE_URL \(plan field source\.postgres\.urlEnv\) is not set/,
      );

      await writeFile(planFile, JSON.stringify({ ...clean, id: 'Not A Slug' }));
      expect(await main(args, app.env)).toBe(2);
      expect(errors.mock.calls.flat().join('\n')).toMatch(/id: must match pattern/);

      expect(await main(['--plan', planFile, '--apply', '--rollback'], app.env)).toBe(2);
    } finally {
      output.mockRestore();
      errors.mockRestore();
    }
  });
});
