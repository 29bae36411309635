// Runs a tenant erasure on the TENANT_ERASURE Workflow with sleeps and retry delays off, and
// optional modifications of every instance (a step failing, say), until the instance ends.
import { env, introspectWorkflow } from 'cloudflare:test';
import { requestTenantErasure } from '../../../src/services/erasure/request-tenant-erasure.ts';
import type { JobView } from '../../../src/services/jobs/job-types.ts';
import { operatorContext } from '../../../src/services/jobs/system-context.ts';
import { testSettings } from '../helpers/settings.ts';

type Modifier = Parameters<Parameters<Awaited<ReturnType<typeof introspectWorkflow>>['modifyAll']>[0]>[0];

/** Reads and resumes what a tenant's own credentials may no longer reach. */
export const asOperator = (tenantId: string) => operatorContext(tenantId, 'test-operator');

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
    // The operator's request: the tenant's own credentials are refused once it is deleting.
    ctx: operatorContext(tenantId, 'test-operator'),
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
