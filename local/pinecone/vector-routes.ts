// The record endpoints of the data plane, in the JSON shapes of the v9 client's generated models
// (camelCase: `upsertedCount`, `topK`, `includeMetadata`, `readUnits`, `paginationToken`).

import type { ApiRequest } from './api-request.ts';
import { badRequest, notFound } from './errors.ts';
import { compileFilter, type MetadataPredicate } from './filter.ts';
import type { IndexStore, StoredRecord } from './index-store.ts';
import { page } from './pagination.ts';
import {
  body,
  denseVector,
  idList,
  MAX_UPSERT_RECORDS,
  namespaceOf,
  positiveInteger,
  recordId,
  topK,
  upsertRecord,
} from './validation.ts';

// Serverless bills at least one read unit per request; the exact figure depends on namespace size.
const usage = { readUnits: 1 };

export function upsertVectors(store: IndexStore, request: ApiRequest) {
  const { vectors, namespace } = body(request.body);
  if (!Array.isArray(vectors) || vectors.length === 0) throw badRequest('vectors must be a non-empty array');
  if (vectors.length > MAX_UPSERT_RECORDS) {
    throw badRequest(`upsert of ${vectors.length} vectors exceeds the maximum of ${MAX_UPSERT_RECORDS} per request`);
  }
  const records = vectors.map((vector) => upsertRecord(vector, store.dimension, store.metric));
  return { upsertedCount: store.upsert(namespaceOf(namespace), records) };
}

export function queryVectors(store: IndexStore, request: ApiRequest) {
  const query = body(request.body);
  const namespace = namespaceOf(query.namespace);
  const limit = topK(query.topK);
  if (query.vector !== undefined && query.id !== undefined) throw badRequest('query by either vector or id, not both');
  if (query.vector === undefined && query.id === undefined) throw badRequest('query needs a vector or an id');
  const matches = optionalFilter(query.filter);
  const vector =
    query.vector !== undefined
      ? denseVector(query.vector, store.dimension, store.metric, 'Query vector')
      : store.get(namespace, recordId(query.id))?.values;
  const scored = vector ? store.query(namespace, vector, limit, matches) : [];
  return {
    results: [],
    matches: scored.map(({ record, score }) => ({
      id: record.id,
      score,
      // Pinecone sends an empty `values` array when values were not asked for.
      values: query.includeValues === true ? record.values : [],
      ...(query.includeValues === true && record.sparseValues && { sparseValues: record.sparseValues }),
      ...(query.includeMetadata === true && record.metadata && { metadata: record.metadata }),
    })),
    namespace,
    usage,
  };
}

export function fetchVectors(store: IndexStore, request: ApiRequest) {
  const namespace = namespaceOf(request.query.get('namespace'));
  const vectors: Record<string, StoredRecord> = {};
  for (const id of idList(request.query.getAll('ids'))) {
    const record = store.get(namespace, id);
    if (record) vectors[id] = record;
  }
  return { vectors, namespace, usage };
}

export function deleteVectors(store: IndexStore, request: ApiRequest) {
  const { ids, deleteAll, filter, namespace: rawNamespace } = body(request.body);
  const namespace = namespaceOf(rawNamespace);
  const modes = [ids !== undefined, deleteAll === true, filter !== undefined].filter(Boolean).length;
  if (modes !== 1) throw badRequest('delete needs exactly one of ids, deleteAll or filter');
  const matches = optionalFilter(filter);
  const idsToDelete = ids === undefined ? undefined : idList(ids);
  // Serverless answers 404 for a namespace that holds nothing (pinecone-ts-client issue #324).
  if (!store.has(namespace)) throw notFound('Namespace not found');
  if (idsToDelete) store.deleteIds(namespace, idsToDelete);
  else if (matches) store.deleteWhere(namespace, matches);
  else store.deleteNamespace(namespace);
  return {};
}

export function listVectors(store: IndexStore, request: ApiRequest) {
  const namespace = namespaceOf(request.query.get('namespace'));
  const prefix = request.query.get('prefix') ?? '';
  const records = store.records(namespace).filter((record) => record.id.startsWith(prefix));
  const { items, next } = page(
    records.map((record) => record.id),
    positiveInteger(request.query.get('limit'), 'limit') ?? 100,
    request.query.get('paginationToken'),
  );
  return { vectors: items.map((id) => ({ id })), ...(next && { pagination: { next } }), namespace, usage };
}

function optionalFilter(filter: unknown): MetadataPredicate | undefined {
  return filter === undefined ? undefined : compileFilter(filter);
}
