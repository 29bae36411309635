// `npm run fuzz`: the fuzz session of test/worker/fuzz/ alone, inside workerd against its own local
// stack, with the run count and seed handed in as bindings (workerd sees no process.env). Shaped
// like vitest.config.ts (global setup at the root, workerd in a project), so the stack starts in Node.
import { join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repository, not this folder: the paths below are the project's.
  root: join(import.meta.dirname, '..', '..'),
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
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? '100000',
                FUZZ_SEED: process.env.FUZZ_SEED ?? '1717',
              },
            },
          })),
        ],
        test: { name: 'fuzz', include: ['test/worker/fuzz/fuzz-slice.test.ts'], testTimeout: 4 * 3_600_000 },
      },
    ],
  },
});
