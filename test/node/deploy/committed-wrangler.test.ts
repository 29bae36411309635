// docs/threat-model.md T40: the Worker as `wrangler deploy` would build it from the committed
// wrangler.toml runs as production. Started here by wrangler itself from that file, with only the
// local stack's connection settings added (ENVIRONMENT is not among them), it must ignore
// `x-tenant-id`: development is switched on only by `npm run dev` (--var) and the test config.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Unstable_DevWorker, unstable_dev } from 'wrangler';

// acme in configs/tenants/provisioning.json (an active tenant).
const ACME = '7e62d4b6-84fe-454f-942d-881a79740c66';

describe('the Worker built from the committed wrangler.toml', () => {
  let worker: Unstable_DevWorker;
  let dir: string;
  beforeAll(async () => {
    const { ENVIRONMENT: _ignored, ...connections } = inject('stack').workerVars;
    dir = await mkdtemp(join(process.cwd(), '.bulkhead', 'committed-'));
    // An empty env file instead of a developer's .dev.vars, which may turn development on.
    const envFile = join(dir, 'empty.env');
    await writeFile(envFile, '');
    worker = await unstable_dev('src/index.ts', {
      config: 'wrangler.toml',
      vars: connections,
      envFiles: [envFile],
      ip: '127.0.0.1',
      port: 0,
      persist: false,
      logLevel: 'none',
      experimental: { disableExperimentalWarning: true },
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // A cold Worker's first answer (bundling, Workflows and Durable Object set-up) can take seconds.
  it('refuses x-tenant-id: 401, as without it', { timeout: 60_000 }, async () => {
    const res = await worker.fetch('http://api.bulkhead.localhost/v1/whoami', { headers: { 'x-tenant-id': ACME } });
    expect(res.status, await res.clone().text()).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
