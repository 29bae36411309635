// Job rows (drizzle/0009_erasure_jobs.sql): created by the request that starts a job, moved along
// by its Workflow's steps, read by GET. Progress is written as absolute values computed by the
// step (or added to in the same statement as the deletes it counts, erasure-counts.ts), so a
// retried step never adds its count twice.
import { sql } from 'drizzle-orm';
import type { JobKind, JobProgress, JobState } from '../../services/jobs/job-types.ts';
import type { TenantScope } from '../tenant-scope.ts';

export type JobRow = {
  id: string;
  kind: JobKind;
  state: JobState;
  step: string | null;
  progress: JobProgress;
  subject: Record<string, unknown>;
  result: Record<string, unknown> | null;
  attempt: number;
  last_error: string | null;
  requested_by_kind: string;
  requested_by_id: string;
  created_at: string | Date;
  started_at: string | Date | null;
  finished_at: string | Date | null;
};

const COLUMNS = sql.raw(
  'id, kind, state, step, progress, subject, result, attempt, last_error, requested_by_kind, requested_by_id, created_at, started_at, finished_at',
);

/** A new queued job in the context's name; for a tenant erasure, none if one exists already. */
export function insertJob({ ctx, db }: TenantScope, kind: JobKind, subject: Record<string, unknown> = {}) {
  return db.execute<JobRow>(sql`
    insert into jobs (tenant_id, kind, subject, requested_by_kind, requested_by_id)
    values (${ctx.tenantId}::uuid, ${kind}, ${JSON.stringify(subject)}::jsonb, ${ctx.principal.kind}, ${ctx.principal.id})
    on conflict (tenant_id) where kind = 'tenant_erasure' do nothing
    returning ${COLUMNS}`);
}

export function tenantErasureJob({ db }: TenantScope) {
  return db.execute<JobRow>(sql`select ${COLUMNS} from jobs where kind = 'tenant_erasure'`);
}

export function findJob({ db }: TenantScope, id: string) {
  return db.execute<JobRow>(sql`select ${COLUMNS} from jobs where id = ${id}::uuid`);
}

/** A failed job taken up again: a fresh attempt (and Workflow instance), its error cleared. */
export function resumeJob({ db }: TenantScope, id: string) {
  return db.execute<JobRow>(sql`
    update jobs set state = 'queued', attempt = attempt + 1, last_error = null, finished_at = null,
      updated_at = clock_timestamp()
    where id = ${id}::uuid and state = 'failed'
    returning ${COLUMNS}`);
}

export interface JobPatch {
  state?: JobState;
  step?: string;
  progress?: JobProgress;
  result?: Record<string, unknown>;
  lastError?: string | null;
}

/** started_at is set once, finished_at when the state is final; progress entries are merged per store. */
export function updateJob({ db }: TenantScope, id: string, patch: JobPatch) {
  const final = patch.state === 'done' || patch.state === 'failed';
  return db.execute<{ id: string }>(sql`
    update jobs set
      state = coalesce(${patch.state ?? null}, state),
      step = coalesce(${patch.step ?? null}, step),
      progress = progress || ${JSON.stringify(patch.progress ?? {})}::jsonb,
      result = case when ${patch.result === undefined} then result else ${JSON.stringify(patch.result ?? null)}::jsonb end,
      last_error = case when ${patch.lastError === undefined} then last_error else ${patch.lastError ?? null} end,
      started_at = coalesce(started_at, case when ${patch.state ?? ''} = 'running' then clock_timestamp() end),
      finished_at = case when ${final} then clock_timestamp() else finished_at end,
      updated_at = clock_timestamp()
    where id = ${id}::uuid
    returning id`);
}
