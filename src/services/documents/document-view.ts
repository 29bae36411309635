// What the API says about a document: an allow-list of fields (never the tenant id or the object
// key) and its ingestion state, read from the row's status and its latest ingestion event.
import type { DocumentRow } from '../../db/repositories/document-records.ts';
import type { IngestionEvent } from '../../db/repositories/ingestion-journal.ts';

export type DocumentState = 'awaiting_upload' | 'queued' | 'processing' | 'ready' | 'failed';

export interface DocumentView {
  id: string;
  projectId: string;
  title: string;
  contentType: string;
  sizeBytes: number;
  externalId: string | null;
  source: string | null;
  status: DocumentState;
  /** Present while processing and once ready: chunks embedded and stored so far, of how many. */
  progress: { chunksDone: number; chunksTotal: number } | null;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function documentState(row: Pick<DocumentRow, 'status'>, event: IngestionEvent | undefined): DocumentState {
  // The row's terminal status is written in the same batch as the terminal event; the event adds
  // the steps in between, which the row's enum (pending | ready | failed) cannot name.
  if (row.status === 'ready') return 'ready';
  if (row.status === 'failed') return 'failed';
  if (event?.stage === 'queued') return 'queued';
  if (event?.stage === 'processing') return 'processing';
  return 'awaiting_upload';
}

export function documentView(row: DocumentRow, event: IngestionEvent | undefined): DocumentView {
  const status = documentState(row, event);
  const detail = event?.detail ?? {};
  const total = detail.chunksTotal;
  const progress =
    typeof total === 'number' && (status === 'processing' || status === 'ready')
      ? { chunksDone: status === 'ready' ? total : (detail.chunksDone ?? 0), chunksTotal: total }
      : null;
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    externalId: row.externalId,
    source: typeof detail.source === 'string' ? detail.source : null,
    status,
    progress,
    failureReason: status === 'failed' ? (detail.reason ?? 'Ingestion failed') : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
