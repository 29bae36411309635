// What one ingestion run takes and how it ends: shared by the pipeline (run-ingestion.ts) and the
// failure recorder (ingestion-failure.ts), which would otherwise import each other.
import type { DocumentRow } from '../../db/repositories/document-records.ts';

export type IngestionSource = 'document' | 'slack' | 'email' | 'web';

export interface IngestionInput {
  document: DocumentRow;
  source: IngestionSource;
  /** Reads the document's text; throws IngestionFailure (or a 415) for content it cannot read. */
  readText: () => Promise<string>;
}

export type IngestionOutcome =
  | { state: 'ready'; chunksTotal: number }
  | { state: 'failed'; reason: string }
  /** The document was deleted while it was being ingested; its vectors were removed again. */
  | { state: 'gone' };
