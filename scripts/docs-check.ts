// `npm run docs:check`: the documentation guard. Fails (exit 1, one line per problem) when a document
// lacks a required section or link, an npm script or a setting goes undocumented, a relative link
// or a cited repository path does not resolve, or a `docs/threat-model.md TN` citation names no
// threat. Each rule is an exported function of plain text, so test/node/docs/ can break it on purpose.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';

/** Number of threats in docs/threat-model.md: T1 … T87, the catalogue's numbering. */
export const THREAT_COUNT = 87;

/** Section headings each document must have (a heading counts when it starts with the text). */
export const REQUIRED_SECTIONS: Record<string, readonly string[]> = {
  'README.md': [
    'Documentation',
    'Prerequisites',
    'Quick start',
    'Scripts',
    'The local stack',
    'Configuration',
    'Layout',
    'Postgres isolation',
    'The widget API',
    'Deploy',
    'Troubleshooting',
  ],
  'docs/architecture.md': ['Request path', 'Layers', 'Where a change goes', 'Adding a route'],
  'docs/threat-model.md': [
    'How to read an entry',
    'HTTP and authentication',
    'Tenant resolution',
    'CORS and caching',
    'Postgres row-level security',
    'KV',
    'Vectors',
    'Objects',
    'Offboarding and erasure',
    'Load and faults',
    'Defaults and edge budget',
    'Control plane',
    'Content and answers',
    'Data left behind',
    'Out of scope',
  ],
  'docs/troubleshooting.md': [
    'Tenant resolution',
    'A write refused by row-level security',
    'Slow vector queries',
    'Ports already taken',
    'PostgreSQL does not start',
    'wrangler dev prints errors while offline',
    'npm ci refuses the lockfile',
    'Rollback',
  ],
  'SECURITY.md': ['Reporting a vulnerability', 'Supported versions', 'What counts'],
};

/** Documents each file must link to (relative links, as written from the repository root). */
export const REQUIRED_LINKS: Record<string, readonly string[]> = {
  'README.md': ['docs/architecture.md', 'docs/threat-model.md', 'docs/troubleshooting.md', 'SECURITY.md'],
  'SECURITY.md': ['docs/threat-model.md'],
};

/** Top-level folders whose paths, cited in backticks, must exist. */
const CITED_ROOTS = ['src', 'test', 'scripts', 'local', 'drizzle', 'configs', 'deployment', 'bench', 'docs'];
const CITED_PATH = new RegExp(`^(?:${CITED_ROOTS.join('|')})/[^\\s*?<>{}$…]*$`);
/** Where code cites threats as `docs/threat-model.md T5`. */
const CITING_ROOTS = ['src', 'test', 'scripts', 'local', 'bench'];

export interface Doc {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Heading {
  level: number;
  text: string;
  slug: string;
}

/** The text with fenced code blocks blanked out (line count kept, so nothing inside them counts). */
export function withoutFences(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(headingText: string): string {
  const plain = headingText.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  return plain
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

export function headings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const found: Heading[] = [];
  for (const match of withoutFences(markdown).matchAll(/^(#{1,6})[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = `${match[2]}`;
    const base = slugOf(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.push({ level: `${match[1]}`.length, text, slug: count === 0 ? base : `${base}-${count}` });
  }
  return found;
}

/** Heading slugs and explicit `<a id>` / `<a name>` anchors of a document. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set(headings(markdown).map((heading) => heading.slug));
  for (const match of withoutFences(markdown).matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(`${match[1]}`);
  return anchors;
}

const plainHeading = (text: string) =>
  text
    .replace(/[`*_]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase();

export function checkSections(doc: Doc, required: readonly string[]): string[] {
  const present = headings(doc.text).map((heading) => plainHeading(heading.text));
  return required
    .filter((section) => !present.some((heading) => heading.startsWith(plainHeading(section))))
    .map((section) => `${doc.path}: missing section "${section}"`);
}

/** Relative link targets outside code: `[text](target)`, with the part before any `#`. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => `${match[1]}`);
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** `target` as a path from the repository root, for a link written in `from`. */
export function resolveLink(from: string, target: string): string {
  const path = target.split('#')[0] ?? '';
  if (path === '') return from;
  const joined = path.startsWith('/') ? path.slice(1) : join(dirname(from), decodeURIComponent(path));
  return normalize(joined).replace(/\\/g, '/');
}

export function checkRequiredLinks(doc: Doc, required: readonly string[]): string[] {
  const linked = new Set(
    linkTargets(doc.text)
      .filter((target) => !isExternal(target))
      .map((target) => resolveLink(doc.path, target)),
  );
  return required.filter((path) => !linked.has(path)).map((path) => `${doc.path}: no link to ${path}`);
}

/**
 * Every relative link resolves to an existing file; a `#anchor` into a markdown file (or the same
 * file) must be one of its headings or explicit anchors. `docs` holds the markdown files known.
 */
export function checkLinks(docs: readonly Doc[], exists: (path: string) => boolean): string[] {
  const byPath = new Map(docs.map((doc) => [doc.path, doc]));
  const anchors = new Map<string, Set<string>>();
  const anchorsFor = (path: string) => {
    const doc = byPath.get(path);
    if (!anchors.has(path) && doc) anchors.set(path, anchorsOf(doc.text));
    return anchors.get(path);
  };
  const problems: string[] = [];
  for (const doc of docs) {
    for (const target of linkTargets(doc.text)) {
      if (isExternal(target)) continue;
      const path = resolveLink(doc.path, target);
      if (path.startsWith('..')) {
        problems.push(`${doc.path}: link ${target} leaves the repository`);
        continue;
      }
      if (!exists(path)) {
        problems.push(`${doc.path}: link ${target} → ${path} does not exist`);
        continue;
      }
      const anchor = target.includes('#') ? target.slice(target.indexOf('#') + 1) : '';
      if (anchor === '' || !path.endsWith('.md')) continue;
      const known = anchorsFor(path);
      if (known && !known.has(decodeURIComponent(anchor).toLowerCase())) {
        problems.push(`${doc.path}: link ${target} → no heading or anchor "#${anchor}" in ${path}`);
      }
    }
  }
  return problems;
}

/** Repository paths cited in inline code (`src/…`, `test/…`, …) must exist. */
export function checkCitedPaths(docs: readonly Doc[], exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    for (const match of withoutFences(doc.text).matchAll(/`([^`\n]+)`/g)) {
      const cited = `${match[1]}`.trim();
      if (!CITED_PATH.test(cited)) continue;
      if (!exists(cited.replace(/\/$/, ''))) problems.push(`${doc.path}: cites ${cited}, which does not exist`);
    }
  }
  return problems;
}

/** `npm run <name>` (or `npm <name>` for npm's own lifecycle names) must appear in the README. */
export function checkScriptsDocumented(scripts: readonly string[], readme: Doc): string[] {
  const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scripts
    .filter((name) => {
      const forms = [`npm run ${literal(name)}`];
      if (['test', 'start', 'stop', 'restart'].includes(name)) forms.push(`npm ${literal(name)}`);
      return !new RegExp(`(?:${forms.join('|')})(?![\\w:.-])`).test(readme.text);
    })
    .map((name) => `${readme.path}: npm script "${name}" is not documented (write \`npm run ${name}\`)`);
}

/** The keys of `SettingsSchema` in src/config/settings.ts, read from its source. */
export function settingNames(settingsSource: string): string[] {
  const start = settingsSource.search(/const SettingsSchema = z\.object\(\{/);
  if (start < 0) return [];
  const end = settingsSource.indexOf('\n});', start);
  const body = settingsSource.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\s*:/gm)].map((match) => `${match[1]}`);
}

/** Every setting appears in .dev.vars.example (as `NAME=`, commented or not) and in the README. */
export function checkSettingsDocumented(names: readonly string[], devVars: Doc, readme: Doc): string[] {
  if (names.length === 0) return ['src/config/settings.ts: no SettingsSchema keys found (has the schema moved?)'];
  const problems: string[] = [];
  for (const name of names) {
    if (!new RegExp(`^#?[ \\t]*${name}=`, 'm').test(devVars.text)) {
      problems.push(`${devVars.path}: setting ${name} is missing (add ${name}=<fake value>)`);
    }
    if (!new RegExp(`(?<![A-Z0-9_])${name}(?![A-Z0-9_])`).test(readme.text)) {
      problems.push(`${readme.path}: setting ${name} is not documented`);
    }
  }
  return problems;
}

const THREAT_ITEM = /^- <a id="t(\d+)"><\/a>\*\*T(\d+)\.[^\n]*$/gm;

/**
 * T1 … T{count} each exactly once, as `- <a id="tN"></a>**TN. Title.**`, and each entry names its
 * proof: a cited path under test/, src/ or scripts/, or the words "not yet covered".
 */
export function checkThreatModel(doc: Doc, count = THREAT_COUNT): string[] {
  const problems: string[] = [];
  const text = withoutFences(doc.text);
  const items = [...text.matchAll(THREAT_ITEM)];
  const seen = new Map<number, number>();
  items.forEach((item, i) => {
    const [id, label] = [Number(item[1]), Number(item[2])];
    if (id !== label) problems.push(`${doc.path}: anchor t${id} labels T${label}`);
    if (label < 1 || label > count) problems.push(`${doc.path}: T${label} is outside T1–T${count}`);
    seen.set(label, (seen.get(label) ?? 0) + 1);
    const next = items[i + 1]?.index ?? text.length;
    const body = text.slice(item.index, Math.min(next, nextHeading(text, item.index)));
    if (!/`(?:test|src|scripts)\/[^`]+`/.test(body) && !/not\s+yet\s+covered/i.test(body)) {
      problems.push(`${doc.path}: T${label} names no proof (a test path, or "not yet covered")`);
    }
  });
  for (let n = 1; n <= count; n++) {
    const times = seen.get(n) ?? 0;
    if (times === 0) problems.push(`${doc.path}: T${n} is missing`);
    if (times > 1) problems.push(`${doc.path}: T${n} appears ${times} times`);
  }
  return problems;
}

function nextHeading(text: string, from: number): number {
  const match = /^#{1,6} /m.exec(text.slice(from + 1));
  return match ? from + 1 + match.index : text.length;
}

/** `docs/threat-model.md T5` (or `T15–T17`, `T4, T5`, `threat model T43`) in code must name threats that exist. */
export function checkThreatCitations(sources: readonly Doc[], threats: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    for (const match of source.text.matchAll(/threat[- ]model(?:\.md)?((?:[\s,–-]*(?:and\s+)?T\d+)+)/g)) {
      for (const cited of `${match[1]}`.matchAll(/T(\d+)/g)) {
        if (!threats.has(Number(cited[1]))) {
          problems.push(`${source.path}: cites docs/threat-model.md T${cited[1]}, which does not exist`);
        }
      }
    }
  }
  return problems;
}

export function threatNumbers(threatModel: string): Set<number> {
  return new Set([...withoutFences(threatModel).matchAll(THREAT_ITEM)].map((item) => Number(item[2])));
}

function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(root.length + 1)
        .replace(/\\/g, '/'),
    );
}

/** Every rule over the repository at `root`; the problems found, one line each. */
export function checkRepository(root: string): string[] {
  const exists = (path: string) => existsSync(join(root, path));
  const read = (path: string): Doc | undefined =>
    exists(path) ? { path, text: readFileSync(join(root, path), 'utf8') } : undefined;
  const problems: string[] = [];
  const required = (path: string) => {
    const doc = read(path);
    if (!doc) problems.push(`${path}: missing`);
    return doc ?? { path, text: '' };
  };

  const readme = required('README.md');
  const security = required('SECURITY.md');
  const threatModel = required('docs/threat-model.md');
  required('docs/architecture.md');
  required('docs/troubleshooting.md');
  const markdown = [readme, security, ...filesUnder(root, 'docs', (name) => name.endsWith('.md')).map(required)];

  for (const [path, sections] of Object.entries(REQUIRED_SECTIONS)) {
    const doc = markdown.find((candidate) => candidate.path === path);
    if (doc?.text) problems.push(...checkSections(doc, sections));
  }
  for (const [path, links] of Object.entries(REQUIRED_LINKS)) {
    const doc = markdown.find((candidate) => candidate.path === path);
    if (doc?.text) problems.push(...checkRequiredLinks(doc, links));
  }
  problems.push(...checkLinks(markdown, exists), ...checkCitedPaths(markdown, exists));
  if (threatModel.text) problems.push(...checkThreatModel(threatModel));

  const packageJson = JSON.parse(required('package.json').text || '{}') as { scripts?: Record<string, string> };
  problems.push(...checkScriptsDocumented(Object.keys(packageJson.scripts ?? {}), readme));
  const settings = required('src/config/settings.ts');
  problems.push(...checkSettingsDocumented(settingNames(settings.text), required('.dev.vars.example'), readme));

  const sources = CITING_ROOTS.flatMap((dir) => filesUnder(root, dir, (name) => /\.(ts|js|sql)$/.test(name)));
  const sourceDocs = sources.map((path) => read(path)).filter((doc) => doc !== undefined);
  problems.push(...checkThreatCitations(sourceDocs, threatNumbers(threatModel.text)));
  return problems;
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, '..');
  const problems = checkRepository(root);
  for (const problem of problems) console.log(problem);
  if (problems.length > 0) {
    console.log(`docs:check: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('docs:check: ok');
}
