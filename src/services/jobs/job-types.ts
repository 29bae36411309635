// What a durable job is, as its status reads: the Workflow does the work, and this row (the jobs
// table, drizzle/0009_erasure_jobs.sql) is what a caller sees of it while it runs and after.

export type JobKind = 'tenant_erasure' | 'end_user_erasure' | 'export';
export type JobState = 'queued' | 'running' | 'verifying' | 'done' | 'failed';

/** The four places a tenant's data lives. */
export const STORES = ['postgres', 'vectors', 'objects', 'cache'] as const;
export type StoreName = (typeof STORES)[number];

export interface StoreProgress {
  done: number;
  total: number;
}

export type JobProgress = Partial<Record<StoreName, StoreProgress>>;

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  step: string | null;
  progress: JobProgress;
  result: Record<string, unknown> | null;
  attempt: number;
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What the Workflow is started with: ids only, the rest is read under the tenant's context. */
export interface JobParams {
  jobId: string;
  tenantId: string;
  /** A tenant's own erasure request waits this long before anything is refused or deleted. */
  graceSeconds?: number;
}

/** A Workflow instance id per attempt: a resumed job starts a fresh instance of the same job. */
export function workflowInstanceId(jobId: string, attempt: number): string {
  return `${jobId}-${attempt}`;
}
