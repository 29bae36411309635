// `npm ci` (what CI runs) refuses a lockfile that lacks any package a locked package depends on,
// optional ones included: other platforms' biome and workerd binaries too. A lockfile written
// where the registry served only this platform's packages lacks them; this names what is missing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const root = join(import.meta.dirname, '..', '..', '..');
const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(join(root, file), 'utf8')) as T;

/** Where npm finds `name` for the package at `from`: its own node_modules, then each one above it. */
function resolveIn(packages: Record<string, LockedPackage>, from: string, name: string): LockedPackage | undefined {
  let base = from;
  for (;;) {
    const found = packages[base ? `${base}/node_modules/${name}` : `node_modules/${name}`];
    if (found) return found;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('holds every dependency of every locked package, other platforms’ optional binaries included', async () => {
    const lock = await read<{ packages: Record<string, LockedPackage> }>('package-lock.json');
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const wanted = { ...pkg.dependencies, ...pkg.optionalDependencies, ...(path === '' ? pkg.devDependencies : {}) };
      for (const name of Object.keys(wanted)) {
        if (!resolveIn(lock.packages, path, name)) missing.push(`${name} (for ${path || 'the project'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('locks exactly the versions package.json pins', async () => {
    const manifest = await read<Required<Pick<LockedPackage, 'dependencies' | 'devDependencies'>> & LockedPackage>(
      'package.json',
    );
    const lock = await read<{ packages: Record<string, LockedPackage> }>('package-lock.json');
    const pins = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.optionalDependencies };
    const locked = Object.fromEntries(
      Object.keys(pins).map((name) => [name, lock.packages[`node_modules/${name}`]?.version]),
    );
    expect(locked).toEqual(pins);
  });
});
