// The part of a Workflow binding that starting and resuming a job needs; routes pass the binding
// (env.TENANT_ERASURE, …), tests may pass their own.
import type { JobParams } from './job-types.ts';

export interface JobEngine<Params extends JobParams = JobParams> {
  create(options: { id: string; params: Params }): Promise<unknown>;
  get(id: string): Promise<{ status(): Promise<{ status: string }> }>;
}

/** Whether the instance is gone for good (errored, terminated, or never created). */
export async function instanceEnded(engine: Pick<JobEngine, 'get'>, instanceId: string): Promise<boolean> {
  try {
    const { status } = await (await engine.get(instanceId)).status();
    return status === 'errored' || status === 'terminated' || status === 'unknown';
  } catch {
    return true; // not found: the create never happened
  }
}
