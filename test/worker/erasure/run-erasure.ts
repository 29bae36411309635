// Runs a tenant erasure on the TENANT_ERASURE Workflow with sleeps and retry delays off, and
// optional modifications of every instance (a step failing, say), until the instance ends.
import { env, introspectWorkflow } from 'cloudflare:test';
import { requestTenantErasure } from '../../../src/services/erasure/request-tenant-erasure.ts';
import type { JobView } from '../../../src/services/jobs/job-types.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

type Modifier = Parameters<Parameters<Awaited<ReturnType<typeof introspectWorkflow>>['modifyAll']>[0]>[0];

export const jobDepsForTest = () => ({ settings: testSettings(), requestId: `test-${crypto.randomUUID()}` });

/** The job as the request returned it and how its instance ended. */
export async function runErasure(
  tenantId: string,
  modify?: (m: Modifier) => Promise<void>,
): Promise<{ job: JobView; status: 'complete' | 'errored' }> {
  const introspector = await introspectWorkflow(env.TENANT_ERASURE);
  try {
    return await run(introspector, tenantId, modify);
  } finally {
    await introspector.dispose();
  }
}

async function run(
  introspector: Awaited<ReturnType<typeof introspectWorkflow>>,
  tenantId: string,
  modify?: (m: Modifier) => Promise<void>,
): Promise<{ job: JobView; status: 'complete' | 'errored' }> {
  await introspector.modifyAll(async (m) => {
    await m.disableSleeps();
    await m.disableRetryDelays();
    await modify?.(m);
  });
  const job = await requestTenantErasure({
    ctx: tenantContext(tenantId, { principalId: 'admin-key' }),
    deps: jobDepsForTest(),
    input: { engine: env.TENANT_ERASURE },
  });
  const [instance] = await introspector.get();
  if (!instance) return { job, status: 'complete' };
  try {
    await instance.waitForStatus('complete');
    return { job, status: 'complete' };
  } catch {
    return { job, status: 'errored' };
  }
}
