// The end-user erasure Workflow (wrangler.toml [[workflows]] END_USER_ERASURE), around the plan in
// src/services/erasure/end-user-erasure.ts.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { type EndUserErasureParams, eraseEndUser } from '../services/erasure/end-user-erasure.ts';
import { jobDeps } from './job-deps.ts';
import { workflowSteps } from './workflow-steps.ts';

export class EndUserErasureWorkflow extends WorkflowEntrypoint<Env, EndUserErasureParams> {
  override async run(event: Readonly<WorkflowEvent<EndUserErasureParams>>, step: WorkflowStep) {
    return eraseEndUser(workflowSteps(step), jobDeps(this.env), event.payload);
  }
}
