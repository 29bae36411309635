// `npx ajv-cli validate -s configs/tenants/schema.json -d configs/tenants/provisioning.json` (the check
// the requirements name) and `npm run tenants:validate`: both print "valid" for the committed file and
// run from the installed devDependency (offline, so nothing is downloaded). The npm script runs in a
// throw-away copy of the project whose provisioning.json is broken, and must exit non-zero naming
// each offending field, or the file that does not parse.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const SCHEMA = 'configs/tenants/schema.json';
const PROVISIONING = 'configs/tenants/provisioning.json';
// Offline: a devDependency missing from node_modules fails here instead of being fetched by npx.
const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

async function exec(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** The project's package.json, node_modules and schema, with `provisioning` as its provisioning.json. */
async function projectWith(provisioning: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-validate-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'configs', 'tenants'), { recursive: true });
  await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await copyFile(join(root, SCHEMA), join(dir, SCHEMA));
  await writeFile(join(dir, PROVISIONING), provisioning);
  return dir;
}

type Document = { tenants: Array<Record<string, unknown> & { apiKeys: Array<{ scopes: string[] }> }> };
const committed = async (): Promise<Document> => JSON.parse(await readFile(join(root, PROVISIONING), 'utf8'));

describe('npx ajv-cli validate (the documented check)', () => {
  it('prints valid for the committed provisioning.json and exits 0', async () => {
    const { code, output } = await exec('npx', ['ajv-cli', 'validate', '-s', SCHEMA, '-d', PROVISIONING], root);
    expect(output).toContain(`${PROVISIONING} valid`);
    expect(code).toBe(0);
  });
});

describe('npm run tenants:validate', () => {
  it('prints valid for the committed provisioning.json and exits 0', async () => {
    const { code, output } = await exec('npm', ['run', '--silent', 'tenants:validate'], root);
    expect(output).toContain(`${PROVISIONING} valid`);
    expect(code).toBe(0);
  });

  it('exits non-zero on an invalid copy and names every offending field', async () => {
    const document = await committed();
    const [first, second] = document.tenants;
    if (!first || !second?.apiKeys[0]) throw new Error('the committed file has fewer tenants than this test uses');
    first.slug = 'xn--acme'; // punycode slugs are refused
    second.apiKeys[0].scopes.push('admin'); // a publishable key may hold only chat and retrieval
    delete second.limits; // required
    const { code, output } = await exec(
      'npm',
      ['run', '--silent', 'tenants:validate'],
      await projectWith(JSON.stringify(document)),
    );
    expect(code).not.toBe(0);
    expect(output).toContain(`${PROVISIONING} invalid`);
    expect(output).toContain('data/tenants/0/slug must match pattern');
    expect(output).toContain('data/tenants/1/apiKeys/0/scopes/2 must be equal to one of the allowed values');
    expect(output).toContain("data/tenants/1 must have required property 'limits'");
  });

  it('exits non-zero on a copy that is not JSON', async () => {
    const { code, output } = await exec(
      'npm',
      ['run', '--silent', 'tenants:validate'],
      await projectWith('{"tenants": ['),
    );
    expect(code).not.toBe(0);
    expect(output).toContain(PROVISIONING);
    expect(output).not.toContain(`${PROVISIONING} valid`);
  });
});
