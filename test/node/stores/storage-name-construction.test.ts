// Tenant-derived storage names are made only in src/tenancy/storage-names.ts (and a Pinecone
// namespace is opened only in src/stores/tenant-vectors.ts). The brands catch most hand-made names
// at compile time; this scan catches the rest: a literal prefix, a template, or a cast to a brand.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the planted samples are source lines to scan, not templates
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(process.cwd(), 'src');
const NAMES_MODULE = 'src/tenancy/storage-names.ts';
const VECTORS_MODULE = 'src/stores/tenant-vectors.ts';

interface Rule {
  what: string;
  pattern: RegExp;
  allowedIn: string[];
}

const RULES: Rule[] = [
  { what: 'KV key prefix t:…', pattern: /[`'"]t:/, allowedIn: [NAMES_MODULE] },
  // `/tenants/:id…` is a route path (the operator API), not an object key: a key never holds `:`.
  { what: 'object key prefix tenants/…', pattern: /[`'"]\/?tenants\/(?!:)/, allowedIn: [NAMES_MODULE] },
  { what: 'namespace prefix tenant-…', pattern: /[`'"]tenant-/, allowedIn: [NAMES_MODULE] },
  { what: 'vector id {document}#{chunk}', pattern: /\}#\$\{/, allowedIn: [NAMES_MODULE] },
  {
    what: 'cast to a storage-name brand',
    pattern: /\bas\s+(CacheKey|CachePrefix|VectorNamespace|VectorId|ObjectKey|ObjectPrefix)\b/,
    allowedIn: [NAMES_MODULE],
  },
  { what: 'Pinecone namespace opened', pattern: /\.namespace\(/, allowedIn: [VECTORS_MODULE] },
];

/** Comments may describe the formats; only code counts. `://` in a URL is not a comment. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

function violations(path: string, source: string): string[] {
  const lines = code(source).split('\n');
  return RULES.flatMap((rule) =>
    rule.allowedIn.includes(path)
      ? []
      : lines.flatMap((line, i) => (rule.pattern.test(line) ? [`${path}:${i + 1} ${rule.what}: ${line.trim()}`] : [])),
  );
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

describe('storage names are made in one place', () => {
  it('finds no other construction of a tenant-derived name in src/', async () => {
    const files = await sourceFiles(SRC);
    expect(files.map((f) => relative(process.cwd(), f))).toContain(NAMES_MODULE);
    const found = await Promise.all(
      files.map(async (file) => violations(relative(process.cwd(), file), await readFile(file, 'utf8'))),
    );
    expect(found.flat()).toEqual([]);
  });

  it('would notice each kind of construction (the scan is not vacuous)', () => {
    const planted = [
      'const key = `t:${ctx.tenantId}:api-key:${id}`;',
      "const key = 'tenants/' + tenantId + '/x';",
      'const path = `/tenants/${tenantId}/`;',
      'index.namespace(`tenant-${id}`);',
      'const id = `${documentId}#${chunkIndex}`;',
      'const key = raw as ObjectKey;',
      'pc.index({ host }).namespace(ns);',
    ];
    for (const line of planted) expect(violations('src/services/example.ts', line), line).not.toEqual([]);
    const harmless = [
      '// keys look like t:{tenantId}:… and tenants/{tenantId}/…',
      "const url = 'https://example.com/x'; // tenants/ in a comment",
      "import { x } from './tenant-scope.ts';",
    ];
    for (const line of harmless) expect(violations('src/services/example.ts', line), line).toEqual([]);
  });
});
