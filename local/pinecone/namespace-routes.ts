// Namespace and index-level endpoints. `/namespaces` speaks snake_case (`record_count`,
// `total_count`); `/describe_index_stats` speaks camelCase (`vectorCount`, `totalVectorCount`).

import type { ApiRequest } from './api-request.ts';
import { badRequest, notFound } from './errors.ts';
import { isPlainObject } from './filter.ts';
import type { IndexStore } from './index-store.ts';
import { page } from './pagination.ts';
import { positiveInteger } from './validation.ts';

export function listNamespaces(store: IndexStore, request: ApiRequest) {
  const prefix = request.query.get('prefix') ?? '';
  const counts = new Map(store.namespaceCounts().filter(([name]) => name.startsWith(prefix)));
  const { items, next } = page(
    [...counts.keys()],
    positiveInteger(request.query.get('limit'), 'limit') ?? 100,
    request.query.get('paginationToken'),
  );
  return {
    namespaces: items.map((name) => ({ name, record_count: counts.get(name) ?? 0 })),
    ...(next && { pagination: { next } }),
    total_count: counts.size,
  };
}

export function describeNamespace(store: IndexStore, namespace: string) {
  const recordCount = store.records(namespace).length;
  if (recordCount === 0) throw notFound('Namespace not found');
  return { name: namespace, record_count: recordCount };
}

export function deleteNamespace(store: IndexStore, namespace: string) {
  if (!store.deleteNamespace(namespace)) throw notFound('Namespace not found');
  return {};
}

export function describeIndexStats(store: IndexStore, request: ApiRequest) {
  const filter = isPlainObject(request.body) ? request.body.filter : undefined;
  // Bulkhead's indexes are serverless, where the real service refuses a filter here.
  if (filter !== undefined && !(isPlainObject(filter) && Object.keys(filter).length === 0)) {
    throw badRequest('Serverless and starter indexes do not support describing index stats with metadata filtering');
  }
  const namespaces: Record<string, { vectorCount: number }> = {};
  let totalVectorCount = 0;
  for (const [name, vectorCount] of store.namespaceCounts()) {
    namespaces[name] = { vectorCount };
    totalVectorCount += vectorCount;
  }
  return {
    namespaces,
    dimension: store.dimension,
    indexFullness: 0,
    totalVectorCount,
    metric: store.metric,
    vectorType: 'dense',
  };
}
