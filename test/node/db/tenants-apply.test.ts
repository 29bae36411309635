// npm run tenants:apply (issue 13 §1): the provisioning file as desired state. A dry run prints the
// diff and writes nothing (exit 2); --apply makes exactly those changes; a second run changes nothing;
// a one-field edit of the file shows as exactly that field; a file schema.json refuses is refused.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyProvisioning, loadProvisioning } from '../../../scripts/db/provisioning-apply.ts';
import { PROVISIONING_FILE } from '../../../scripts/db/seeding.ts';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

const run = promisify(execFile);
let scratch: ScratchDatabase;
let dir: string;
beforeAll(async () => {
  scratch = await createScratchDatabase('tenants_apply');
  dir = await mkdtemp(join(process.cwd(), '.bulkhead', 'apply-'));
});
afterAll(async () => {
  await scratch?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/tenants-apply.ts', ...args], {
      // The server the stack runs; scripts always use its `bulkhead` database (local/database.ts).
      env: { ...process.env, DATABASE_URL: inject('stack').adminUrl },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('npm run tenants:apply', () => {
  it('dry run by default, then apply, then nothing left to do', async () => {
    const provisioning = await loadProvisioning();
    const dry = await applyProvisioning(scratch.url, provisioning, { apply: false });
    expect(dry.written).toBe(0);
    for (const tenant of provisioning.tenants) {
      expect(dry.changes).toContainEqual(expect.stringContaining(`+ tenant ${tenant.slug} (${tenant.id}): new`));
    }
    expect((await applyProvisioning(scratch.url, provisioning, { apply: false })).changes).toEqual(dry.changes);
    const applied = await applyProvisioning(scratch.url, provisioning, { apply: true });
    expect(applied.written).toBeGreaterThan(0);
    const again = await applyProvisioning(scratch.url, provisioning, { apply: true });
    expect(again).toEqual({ changes: [], written: 0 });
  });

  it('the command on a database the test setup provisioned: "no changes", exit 0', { timeout: 60_000 }, async () => {
    const ran = await cli();
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toContain('no changes: 5 tenant(s) in sync');
  });

  it('an edited field shows as exactly that change, and applying it makes the diff empty', async () => {
    await applyProvisioning(scratch.url, await loadProvisioning(), { apply: true });
    const document = JSON.parse(await readFile(PROVISIONING_FILE, 'utf8'));
    document.tenants[0].features.uploads = false;
    document.tenants[0].limits.maxTopK = 7;
    document.$schema = undefined;
    const file = join(dir, 'edited.json');
    await writeFile(file, JSON.stringify(document));
    const edited = await loadProvisioning(file);
    const { changes } = await applyProvisioning(scratch.url, edited, { apply: false });
    expect(changes.filter((line) => !line.startsWith(' '))).toEqual([
      expect.stringMatching(/^~ tenant acme: features .*"uploads":true.* → .*"uploads":false/),
      expect.stringMatching(/^~ tenant acme: limits .*"maxTopK":20.* → .*"maxTopK":7/),
    ]);
    const applied = await applyProvisioning(scratch.url, edited, { apply: true });
    expect(applied.written).toBe(1);
    expect(
      (await applyProvisioning(scratch.url, edited, { apply: false })).changes.filter((l) => !l.startsWith(' ')),
    ).toEqual([]);
  });

  it('refuses a file schema.json refuses, naming the field, and touches nothing', { timeout: 60_000 }, async () => {
    const document = JSON.parse(await readFile(PROVISIONING_FILE, 'utf8'));
    document.tenants[0].allowedOrigins = ['*'];
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(document));
    const refused = await cli('--apply', '--file', file);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('/tenants/0/allowedOrigins/0');
  });
});
