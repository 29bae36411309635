// Request checks the real service makes, with its limits (docs: "Database limits"), so code that
// works against the local index does not fail on the first real upsert.
import { badRequest } from './errors.ts';
import { isPlainObject, type Metadata } from './filter.ts';
import type { SparseValues, StoredRecord } from './index-store.ts';
import type { Metric } from './similarity.ts';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_UPSERT_RECORDS = 1000;
export const MAX_IDS_PER_REQUEST = 1000;
export const MAX_TOP_K = 10_000;
const MAX_ID_LENGTH = 512;
const MAX_METADATA_BYTES = 40 * 1024;

/** API versions 2025-04 and later name the default namespace `__default__`; `""` still means it. */
export function namespaceOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return '__default__';
  if (typeof value !== 'string') throw badRequest('namespace must be a string');
  return value;
}

export function body(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw badRequest('request body must be a JSON object');
  return value;
}

export function recordId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw badRequest('record id must be a non-empty string');
  if (value.length > MAX_ID_LENGTH) throw badRequest(`record id is longer than ${MAX_ID_LENGTH} characters`);
  return value;
}

export function idList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('ids must be a non-empty array of strings');
  if (value.length > MAX_IDS_PER_REQUEST) throw badRequest(`at most ${MAX_IDS_PER_REQUEST} ids per request`);
  return value.map(recordId);
}

export function denseVector(value: unknown, dimension: number, metric: Metric, what: string): number[] {
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw badRequest(`${what} values must be an array of finite numbers`);
  }
  if (value.length !== dimension) {
    throw badRequest(`${what} dimension ${value.length} does not match the dimension of the index ${dimension}`);
  }
  // A zero vector has no direction, so a cosine index cannot score it.
  if (metric === 'cosine' && value.every((n) => n === 0)) {
    throw badRequest(`${what} must contain at least one non-zero value`);
  }
  return value;
}

export function upsertRecord(value: unknown, dimension: number, metric: Metric): StoredRecord {
  const raw = body(value);
  const record: StoredRecord = {
    id: recordId(raw.id),
    values: denseVector(raw.values, dimension, metric, 'Vector'),
  };
  if (raw.sparseValues !== undefined) record.sparseValues = sparseValues(raw.sparseValues);
  if (raw.metadata !== undefined) record.metadata = metadata(raw.metadata);
  return record;
}

export function topK(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TOP_K) {
    throw badRequest(`topK must be an integer between 1 and ${MAX_TOP_K}`);
  }
  return value;
}

/** A query-string number such as `limit`; `undefined` when absent. */
export function positiveInteger(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw badRequest(`${name} must be a positive integer`);
  return parsed;
}

function sparseValues(value: unknown): SparseValues {
  const { indices, values } = body(value);
  if (
    !Array.isArray(indices) ||
    !Array.isArray(values) ||
    indices.length !== values.length ||
    !indices.every((n) => Number.isInteger(n) && n >= 0) ||
    !values.every((n) => typeof n === 'number' && Number.isFinite(n))
  ) {
    throw badRequest('sparseValues needs indices and values arrays of the same length');
  }
  return { indices, values };
}

function metadata(value: unknown): Metadata {
  if (!isPlainObject(value)) throw badRequest('metadata must be a JSON object');
  for (const [key, field] of Object.entries(value)) {
    const list = Array.isArray(field) && field.every((item) => typeof item === 'string');
    const scalar = typeof field === 'string' || typeof field === 'boolean' || Number.isFinite(field);
    if (!list && !scalar) {
      throw badRequest(`metadata field ${key} must be a string, number, boolean or list of strings`);
    }
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) {
    throw badRequest(`metadata is larger than the ${MAX_METADATA_BYTES / 1024} KB limit per record`);
  }
  return value as Metadata;
}
