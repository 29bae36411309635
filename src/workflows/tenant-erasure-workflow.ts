// The tenant erasure Workflow (wrangler.toml [[workflows]] TENANT_ERASURE): the engine around
// the plan in src/services/erasure/tenant-erasure.ts. One instance per attempt of a job.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { eraseTenant } from '../services/erasure/tenant-erasure.ts';
import type { JobParams } from '../services/jobs/job-types.ts';
import { jobDeps } from './job-deps.ts';
import { workflowSteps } from './workflow-steps.ts';

export class TenantErasureWorkflow extends WorkflowEntrypoint<Env, JobParams> {
  override async run(event: Readonly<WorkflowEvent<JobParams>>, step: WorkflowStep) {
    const outcome = await eraseTenant(workflowSteps(step), jobDeps(this.env), event.payload);
    return { deleted: outcome.deleted, remaining: outcome.verification.remaining, rounds: outcome.rounds };
  }
}
