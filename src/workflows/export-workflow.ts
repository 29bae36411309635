// The export Workflow (wrangler.toml [[workflows]] TENANT_EXPORT), around the plan in
// src/services/export/export-bundle.ts.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { type ExportParams, exportBundle } from '../services/export/export-bundle.ts';
import { jobDeps } from './job-deps.ts';
import { workflowSteps } from './workflow-steps.ts';

export class ExportWorkflow extends WorkflowEntrypoint<Env, ExportParams> {
  override async run(event: Readonly<WorkflowEvent<ExportParams>>, step: WorkflowStep) {
    const outcome = await exportBundle(workflowSteps(step), jobDeps(this.env), event.payload);
    return { files: outcome.files.length, objects: outcome.objects, bundleBytes: outcome.bundleBytes };
  }
}
