import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    projects: [
      {
        // Unit tests of code that runs in Node (the local stack, scripts).
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' },
      },
      {
        // Everything the Worker runs, tested inside workerd against the local stack.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { ...inject('stack').workerVars, ENVIRONMENT: 'test' } },
          })),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts', 'src/**/*.test.ts'] },
      },
    ],
  },
});
