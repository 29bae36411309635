// What a job's plan needs from its engine: named steps whose results are kept (a step that
// finished is never run again; one that failed is retried), and named sleeps. The Workflow adapts
// its WorkflowStep to this (src/workflows/); tests and the soak script run plans with their own
// runner to kill a job inside a step. A plan is replayed from the start on every resume, so it
// may branch only on step results, never on the clock or on I/O outside a step.
import type { Settings } from '../../config/settings.ts';
import type { PineconeIndex } from '../../stores/pinecone-index.ts';
import type { TenantObjectsOptions } from '../../stores/tenant-objects.ts';

export interface DurableSteps {
  do<T>(name: string, work: () => Promise<T>): Promise<T>;
  sleep(name: string, milliseconds: number): Promise<void>;
}

/** The stores a job reaches, built from the Worker's env (src/workflows/job-deps.ts) or by a test. */
export interface JobDeps {
  settings: Settings;
  kv: KVNamespace;
  pinecone: PineconeIndex;
  objectOptions?: TenantObjectsOptions;
  /** Rows per delete statement, objects and keys per page. */
  batchSize?: number;
  /** Pause before each verification, for in-flight writers to fail (see tenant-erasure.ts). */
  settleMilliseconds?: number;
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_SETTLE_MILLISECONDS = 15_000;
