// The Worker's bundle as Cloudflare receives it, OpenAPI generator and /docs page included:
// `wrangler deploy --dry-run --outdir` bundles exactly what a deploy would upload (no account, no
// network), and each module it writes (source maps aside) is gzipped and summed. Cloudflare's
// limit for a Worker on the free plan is 1 MiB gzipped (3 MiB on paid).
//   node bench/bundle-size.ts          prints the figures
//   node bench/bundle-size.ts --check  also fails when the bundle does not build or is over 1 MiB
// bench/bundle-size.bench.ts writes workerBundleGzipBytes into .bulkhead/bench.json (npm run bench).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

export const GZIP_LIMIT_BYTES = 1024 * 1024;
const root = join(import.meta.dirname, '..');

export interface BundleFigures {
  workerBundleBytes: number;
  workerBundleGzipBytes: number;
  workerBundleModules: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export async function measureBundle(): Promise<BundleFigures> {
  const outdir = await mkdtemp(join(tmpdir(), 'bulkhead-bundle-'));
  try {
    // This Node (the project's 24) rather than whichever `node` is first on PATH.
    const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
    await promisify(execFile)(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: root,
      // The build command (scripts/build-widget.ts) runs `node` from PATH: this one.
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const modules = (await filesUnder(outdir)).filter((file) => !file.endsWith('.map') && !file.endsWith('README.md'));
    if (modules.length === 0) throw new Error('wrangler wrote no module');
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of modules) {
      const content = await readFile(file);
      bytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { workerBundleBytes: bytes, workerBundleGzipBytes: gzipBytes, workerBundleModules: modules.length };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const figures = await measureBundle();
  console.log(JSON.stringify(figures, null, 2));
  if (process.argv.includes('--check') && figures.workerBundleGzipBytes > GZIP_LIMIT_BYTES) {
    console.error(`the Worker bundle is ${figures.workerBundleGzipBytes} bytes gzipped, over ${GZIP_LIMIT_BYTES}`);
    process.exit(1);
  }
}
