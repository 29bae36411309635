// Vitest global setup: one throw-away local stack for the whole run. Its settings reach workerd
// as bindings (vitest.config.ts) and Node tests through `inject('stack')`.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';

export default async function setup(project: TestProject) {
  const root = join(process.cwd(), '.bulkhead', 'test');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(root, { recursive: true });
  const stateDir = await mkdtemp(join(root, 'run-'));
  // Tests must not pick up a developer's real services by accident.
  const stack = await startLocalStack({ stateDir, mode: 'test', env: {} });
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
