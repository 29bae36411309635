// A Workflow's steps as a plan sees them (src/services/jobs/durable-steps.ts). Every step retries
// with backoff: a store answering 5xx or a lost database connection makes the step run again,
// never skips it. A step's result is kept by the engine, so a replayed plan never re-runs a step
// that finished.
import type { WorkflowStep, WorkflowStepConfig } from 'cloudflare:workers';
import type { DurableSteps } from '../services/jobs/durable-steps.ts';

export const STEP_CONFIG = {
  retries: { limit: 6, delay: '2 seconds', backoff: 'exponential' },
  timeout: '5 minutes',
} satisfies WorkflowStepConfig;

export function workflowSteps(step: WorkflowStep): DurableSteps {
  return {
    // Step results are JSON-like (counts, ids); the cast is what Rpc.Serializable needs to see.
    do: <T>(name: string, work: () => Promise<T>) =>
      step.do(name, STEP_CONFIG, work as () => Promise<never>) as Promise<T>,
    sleep: (name, milliseconds) => step.sleep(name, milliseconds),
  };
}
