// Erasure and export figures (issue 14): `node bench/erasure.ts` runs
// test/worker/erasure/erasure-bench.soak.ts inside workerd against the local stack and writes
// erasureSeconds, exportSeconds, per-store seconds and the bundle size to .bulkhead/bench-erasure.json.
// Sizes: BENCH_DOCUMENTS (10,000), BENCH_CHUNKS per document (10, so 100,000 vectors), BENCH_OBJECTS
// (1,000). Like scripts/soak-erasure.ts, this file is also the vitest config it runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const SUITE = 'test/worker/erasure/erasure-bench.soak.ts';
const SIZES = ['BENCH_DOCUMENTS', 'BENCH_CHUNKS', 'BENCH_OBJECTS'] as const;

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...inject('stack').workerVars,
                ENVIRONMENT: 'test',
                ...Object.fromEntries(SIZES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
              },
            },
          })),
        ],
        test: { name: 'bench-erasure', include: [SUITE], testTimeout: 3 * 3_600_000, hookTimeout: 600_000 },
      },
    ],
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const run = spawnSync('npx', ['vitest', 'run', '--config', 'bench/erasure.ts'], {
    encoding: 'utf8',
    stdio: ['inherit', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  const line = /BENCH_RESULT (\{.*\})/.exec(run.stdout)?.[1];
  if (line) {
    mkdirSync('.bulkhead', { recursive: true });
    writeFileSync('.bulkhead/bench-erasure.json', `${line}\n`);
    console.log(`figures: ${line}`);
  }
  process.exit(run.status ?? 1);
}
