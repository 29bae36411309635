// `npm run soak:erasure` (not in CI): SOAK_RUNS (default 200) randomised runs of seed → erase with
// a kill → resume → verify, inside workerd against the local stack, printing runs, failures and
// orphans found, and writing the closing figures (erasureFaultRuns, erasureOrphans) to
// .bulkhead/soak-erasure.json. This file is both the runner (run with node) and the vitest
// config it runs (the soak suite lives outside the test include, so `npm test` never runs it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const SUITE = 'test/worker/erasure/soak-erasure.soak.ts';

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
                SOAK_RUNS: process.env.SOAK_RUNS ?? '200',
              },
            },
          })),
        ],
        test: { name: 'soak', include: [SUITE], testTimeout: 6 * 3_600_000, hookTimeout: 600_000 },
      },
    ],
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const run = spawnSync('npx', ['vitest', 'run', '--config', 'scripts/soak-erasure.ts'], {
    encoding: 'utf8',
    stdio: ['inherit', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  const line = /SOAK_RESULT (\{.*\})/.exec(run.stdout)?.[1];
  if (line) {
    mkdirSync('.bulkhead', { recursive: true });
    writeFileSync('.bulkhead/soak-erasure.json', `${line}\n`);
    console.log(`figures: ${line}`);
  }
  process.exit(run.status ?? 1);
}
