// npm run docs:check, rule by rule: each rule passes a document that follows it and names the
// problem in one that does not, so a rule that stops checking goes red here. Then the whole guard
// over a generated repository: clean, and with one thing broken in each kind of file.

import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anchorsOf,
  checkCitedPaths,
  checkLinks,
  checkRepository,
  checkRequiredLinks,
  checkScriptsDocumented,
  checkSections,
  checkSettingsDocumented,
  checkThreatCitations,
  checkThreatModel,
  type Doc,
  REQUIRED_LINKS,
  REQUIRED_SECTIONS,
  settingNames,
  slugOf,
  THREAT_COUNT,
} from '../../../scripts/docs-check.ts';

// Built, not written out, so that this file's own fake citations are not citations to the guard.
const MODEL = ['docs', 'threat-model.md'].join('/');
const doc = (path: string, ...lines: string[]): Doc => ({ path, text: lines.join('\n') });
const existing = (...paths: string[]) => {
  const known = new Set(paths);
  return (path: string) => known.has(path);
};

describe('required sections', () => {
  it('passes when every section starts a heading, whatever the code marks and the rest of the title', () => {
    const readme = doc(
      'README.md',
      '# Bulkhead',
      '## Quick start',
      '## Configuration for real services',
      '## `npm ci` fails',
    );
    expect(checkSections(readme, ['Quick start', 'Configuration', 'npm ci fails'])).toEqual([]);
  });

  it('names a missing section, and a mention in prose or in a code block does not count', () => {
    const readme = doc('README.md', '## Quick start', 'See Rollback below.', '```', '## Rollback', '```');
    expect(checkSections(readme, ['Quick start', 'Rollback'])).toEqual(['README.md: missing section "Rollback"']);
  });
});

describe('required links', () => {
  it('passes when the document links each required file, from wherever it sits', () => {
    const security = doc('SECURITY.md', 'See [the model](docs/threat-model.md#t5).');
    expect(checkRequiredLinks(security, ['docs/threat-model.md'])).toEqual([]);
    const architecture = doc('docs/architecture.md', 'See [the model](threat-model.md).');
    expect(checkRequiredLinks(architecture, ['docs/threat-model.md'])).toEqual([]);
  });

  it('names a required file that is only mentioned, not linked', () => {
    const readme = doc('README.md', 'Read docs/troubleshooting.md, or `[x](docs/troubleshooting.md)`.');
    expect(checkRequiredLinks(readme, ['docs/troubleshooting.md'])).toEqual([
      'README.md: no link to docs/troubleshooting.md',
    ]);
  });
});

describe('relative links', () => {
  const target = doc('docs/guide.md', '# Guide', '## Ports already taken', '- <a id="t5"></a>**T5. Revoked keys.**');

  it('passes links to existing files and to their headings and explicit anchors; skips URLs and code', () => {
    const readme = doc(
      'README.md',
      '[guide](docs/guide.md) [ports](docs/guide.md#ports-already-taken) [T5](docs/guide.md#t5)',
      '[policy](deployment/r2.md) [site](https://example.com/missing) [mail](mailto:security@bulkhead.example)',
      '[here](#top) `[not a link](nowhere.md)`',
      '# Top',
      '```',
      '[in a fence](nowhere.md)',
      '```',
    );
    expect(checkLinks([readme, target], existing('README.md', 'docs/guide.md', 'deployment/r2.md'))).toEqual([]);
  });

  it('names a link to a missing file, a missing anchor, and a link out of the repository', () => {
    const readme = doc('README.md', '[gone](docs/gone.md) [anchor](docs/guide.md#rollback) [out](../outside.md)');
    expect(checkLinks([readme, target], existing('README.md', 'docs/guide.md'))).toEqual([
      'README.md: link docs/gone.md → docs/gone.md does not exist',
      'README.md: link docs/guide.md#rollback → no heading or anchor "#rollback" in docs/guide.md',
      'README.md: link ../outside.md leaves the repository',
    ]);
  });

  it('makes anchors as GitHub does', () => {
    expect(slugOf('`npm ci` refuses the lockfile')).toBe('npm-ci-refuses-the-lockfile');
    expect(slugOf('Tenant resolution: 401, 403 or 404')).toBe('tenant-resolution-401-403-or-404');
    expect(slugOf('The widget API (`/v1`)')).toBe('the-widget-api-v1');
    expect([...anchorsOf('## Deploys\n## Deploys\n<a id="t12"></a>')]).toEqual(['deploys', 'deploys-1', 't12']);
  });
});

describe('cited repository paths', () => {
  it('passes paths that exist, folders with a trailing slash, and patterns it cannot check', () => {
    const model = doc(
      'docs/threat-model.md',
      'Proof: `test/worker/a.test.ts`, `src/http/`, `bench/*.bench.ts`, `.bulkhead/dev.json`.',
    );
    expect(checkCitedPaths([model], existing('test/worker/a.test.ts', 'src/http'))).toEqual([]);
  });

  it('names a cited path that moved or never existed', () => {
    const model = doc('docs/threat-model.md', 'Proof: `src/http/require-scope.ts`.');
    expect(checkCitedPaths([model], existing())).toEqual([
      'docs/threat-model.md: cites src/http/require-scope.ts, which does not exist',
    ]);
  });
});

describe('npm scripts in the README', () => {
  it('passes `npm run <name>`, and `npm test` for npm’s own lifecycle names', () => {
    const readme = doc('README.md', '`npm test`, `npm run dev`, `npm run check:rls`, and `npm run bench [name]`.');
    expect(checkScriptsDocumented(['test', 'dev', 'check:rls', 'bench'], readme)).toEqual([]);
  });

  it('names an undocumented script; a longer script name does not document a shorter one', () => {
    const readme = doc('README.md', '`npm run db:migrate`, `npm run typecheck`, `npm install`.');
    expect(checkScriptsDocumented(['db', 'type', 'docs:check'], readme)).toEqual([
      'README.md: npm script "db" is not documented (write `npm run db`)',
      'README.md: npm script "type" is not documented (write `npm run type`)',
      'README.md: npm script "docs:check" is not documented (write `npm run docs:check`)',
    ]);
  });
});

describe('settings in .dev.vars.example and the README', () => {
  const source = [
    "import { z } from 'zod';",
    'const SettingsSchema = z.object({',
    "  ENVIRONMENT: z.enum(['development', 'production']),",
    '  CHUNK_SIZE: z.coerce',
    '    .number()',
    '    .optional(),',
    '});',
    'const Other = z.object({',
    '  NOT_A_SETTING: z.string(),',
    '});',
  ].join('\n');

  it('reads the keys of SettingsSchema only', () => {
    expect(settingNames(source)).toEqual(['ENVIRONMENT', 'CHUNK_SIZE']);
  });

  it('passes when each setting is in .dev.vars.example (commented counts) and in the README', () => {
    const devVars = doc('.dev.vars.example', 'ENVIRONMENT=development', '# CHUNK_SIZE=1000');
    const readme = doc('README.md', '`ENVIRONMENT` and `CHUNK_SIZE`.');
    expect(checkSettingsDocumented(settingNames(source), devVars, readme)).toEqual([]);
  });

  it('names a setting missing from either, and a longer name does not count for a shorter one', () => {
    const devVars = doc('.dev.vars.example', 'ENVIRONMENT=development', '# CHUNK_SIZE_MAX=1000');
    const readme = doc('README.md', '`ENVIRONMENT_NAME` and `CHUNK_SIZE`.');
    expect(checkSettingsDocumented(settingNames(source), devVars, readme)).toEqual([
      'README.md: setting ENVIRONMENT is not documented',
      '.dev.vars.example: setting CHUNK_SIZE is missing (add CHUNK_SIZE=<fake value>)',
    ]);
  });

  it('fails rather than passing vacuously when the schema cannot be read', () => {
    expect(checkSettingsDocumented(settingNames('export const Settings = {};'), doc('a', ''), doc('b', ''))).toEqual([
      'src/config/settings.ts: no SettingsSchema keys found (has the schema moved?)',
    ]);
  });
});

const threat = (n: number, proof = `Proof: \`test/worker/t${n}.test.ts\`.`) =>
  `- <a id="t${n}"></a>**T${n}. Threat ${n}.** Outcome. ${proof}`;

describe('threat model entries', () => {
  it('passes T1…TN, each once, each with a test path or an honest "not yet covered"', () => {
    const model = doc('docs/threat-model.md', '## Wall', threat(1), threat(2, 'Proof: not yet\n  covered.'), threat(3));
    expect(checkThreatModel(model, 3)).toEqual([]);
  });

  it('names a missing, repeated, mislabelled, out-of-range or unproven entry', () => {
    const model = doc(
      'docs/threat-model.md',
      threat(1),
      threat(1),
      '- <a id="t2"></a>**T3. Wrong label.** Proof: `src/x.ts`.',
      threat(4),
      '## Next wall',
      'Not yet covered: said under another heading, so it does not count for T5.',
      threat(5, 'Proof: none.'),
    );
    expect(checkThreatModel(model, 4)).toEqual([
      'docs/threat-model.md: anchor t2 labels T3',
      'docs/threat-model.md: T5 is outside T1–T4',
      'docs/threat-model.md: T5 names no proof (a test path, or "not yet covered")',
      'docs/threat-model.md: T1 appears 2 times',
      'docs/threat-model.md: T2 is missing',
    ]);
  });
});

describe('threat citations in code', () => {
  const threats = new Set([4, 5, 15, 16, 17]);

  it('passes citations of threats that exist, single, listed or ranged', () => {
    const source = doc('src/a.ts', `// ${MODEL} T5; ${MODEL} T4, T5 and T15–T17; the threat${' '}model T16`);
    expect(checkThreatCitations([source], threats)).toEqual([]);
  });

  it('reads the prose form too: "threat model T43"', () => {
    const source = doc('src/c.ts', `// throttled (threat${' '}model T43)`);
    expect(checkThreatCitations([source], threats)).toEqual([`src/c.ts: cites ${MODEL} T43, which does not exist`]);
  });

  it('names a citation of a threat the model does not have', () => {
    const source = doc('test/b.test.ts', `// ${MODEL} T56 and T5`);
    expect(checkThreatCitations([source], threats)).toEqual([
      `test/b.test.ts: cites ${MODEL} T56, which does not exist`,
    ]);
  });
});

describe('the whole guard over a repository', () => {
  let root: string;
  const put = async (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  };
  const sections = (path: string) => (REQUIRED_SECTIONS[path] ?? []).map((title) => `## ${title}`);
  const links = (path: string) => (REQUIRED_LINKS[path] ?? []).map((target) => `[${target}](${target})`);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'docs-check-'));
    const threats = Array.from({ length: THREAT_COUNT }, (_, i) => threat(i + 1, 'Proof: not yet covered.'));
    await put('package.json', JSON.stringify({ scripts: { test: 'vitest run', 'docs:check': 'node x.ts' } }));
    await put('src/config/settings.ts', 'const SettingsSchema = z.object({\n  API_HOST: z.string(),\n});\n');
    await put('src/cites.ts', `// ${MODEL} T5\n`);
    await put('.dev.vars.example', 'API_HOST=api.example.test\n');
    await put(
      'README.md',
      [...sections('README.md'), ...links('README.md'), '`npm test`, `npm run docs:check`, `API_HOST`.'].join('\n'),
    );
    await put('SECURITY.md', [...sections('SECURITY.md'), ...links('SECURITY.md')].join('\n'));
    await put('docs/architecture.md', sections('docs/architecture.md').join('\n'));
    await put('docs/troubleshooting.md', sections('docs/troubleshooting.md').join('\n'));
    await put('docs/threat-model.md', [...sections('docs/threat-model.md'), ...threats].join('\n'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('passes a repository that follows every rule', () => {
    expect(checkRepository(root)).toEqual([]);
  });

  it('reports one line per problem across every kind of file', async () => {
    await put('package.json', JSON.stringify({ scripts: { test: 'vitest run', 'docs:check': 'x', lint: 'biome' } }));
    await put(
      'src/config/settings.ts',
      'const SettingsSchema = z.object({\n  API_HOST: z.string(),\n  CHAT_MODEL: z.string(),\n});\n',
    );
    await put('src/cites.ts', `// ${MODEL} T99\n`);
    await put(
      'docs/troubleshooting.md',
      [...sections('docs/troubleshooting.md').slice(0, -1), '[x](missing.md)'].join('\n'),
    );
    expect(checkRepository(root).sort()).toEqual(
      [
        '.dev.vars.example: setting CHAT_MODEL is missing (add CHAT_MODEL=<fake value>)',
        'README.md: npm script "lint" is not documented (write `npm run lint`)',
        'README.md: setting CHAT_MODEL is not documented',
        'docs/troubleshooting.md: link missing.md → docs/missing.md does not exist',
        'docs/troubleshooting.md: missing section "Rollback"',
        `src/cites.ts: cites ${MODEL} T99, which does not exist`,
      ].sort(),
    );
  });
});
