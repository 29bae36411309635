// Vitest global setup: one throw-away local stack for the whole run. Its settings reach workerd
// as bindings (vitest.config.ts) and Node tests through `inject('stack')`.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';
import { migrate } from '../../scripts/db/migrations.ts';
import { applyProvisioning, loadProvisioning } from '../../scripts/db/provisioning-apply.ts';

export default async function setup(project: TestProject) {
  const root = join(process.cwd(), '.bulkhead', 'test');
  await mkdir(root, { recursive: true });
  const stateDir = await mkdtemp(join(root, 'run-'));
  // mkdtemp makes it 0700; as root, Postgres runs as another user that must reach its data dir.
  await chmod(stateDir, 0o755);
  // Tests must not pick up a developer's real services by accident.
  const stack = await startLocalStack({ stateDir, mode: 'test', env: {} });
  try {
    await migrate(stack.adminUrl);
    // The demo tenants live in Postgres, where the Worker reads them: `npm run tenants:apply --apply`.
    await applyProvisioning(stack.adminUrl, await loadProvisioning(), { apply: true });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  project.provide('stack', {
    workerVars: stack.workerVars,
    adminUrl: stack.adminUrl,
    runtimeRole: stack.runtimeRole,
  });
  return async () => {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
