// A job as the API shows it: an allow-list of the row's fields (no subject, no requester).
import type { JobRow } from '../../db/repositories/jobs.ts';
import type { JobView } from './job-types.ts';

const iso = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString());

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    step: row.step,
    progress: row.progress,
    result: row.result,
    attempt: Number(row.attempt),
    lastError: row.last_error,
    createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
