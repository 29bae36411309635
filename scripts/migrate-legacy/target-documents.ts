// A legacy row as the Bulkhead document it becomes: the id and external id derived from the plan
// and the row's key, the chunks either the legacy ones (same boundaries, so a copied vector still
// belongs to its chunk) or the text chunked as Bulkhead's own ingestion does.
import { chunkText, DEFAULT_CHUNK_OPTIONS } from '../../src/text/chunk-text.ts';
import type { LegacyChunk, LegacyRow } from './legacy-rows.ts';
import type { SourceTable } from './plan.ts';
import { documentIdOf, legacyExternalId } from './stable-ids.ts';

export interface TargetChunk {
  chunkIndex: number;
  content: string;
  tokenCount: number;
}

export interface TargetDocument {
  id: string;
  externalId: string;
  legacyKey: string;
  title: string;
  createdAt: Date | null;
  sizeBytes: number;
  metadata: unknown;
  chunks: TargetChunk[];
}

const encoder = new TextEncoder();

export function targetDocument(
  planId: string,
  table: SourceTable,
  row: LegacyRow,
  legacyChunks: LegacyChunk[] | undefined,
): TargetDocument {
  const chunks = table.chunks
    ? (legacyChunks ?? []).map((c) => ({
        chunkIndex: c.index,
        content: c.text,
        tokenCount: Math.ceil(c.text.length / 4),
      }))
    : chunkText(row.text, DEFAULT_CHUNK_OPTIONS);
  return {
    id: documentIdOf(planId, table.name, row.key),
    externalId: legacyExternalId(planId, table.name, row.key),
    legacyKey: row.key,
    // Bulkhead requires a title; a legacy row without one is named after its key.
    title: row.title?.trim() ? row.title : `${table.name} ${row.key}`,
    createdAt: row.createdAt,
    sizeBytes: encoder.encode(row.text).byteLength,
    metadata: row.metadata,
    chunks,
  };
}
