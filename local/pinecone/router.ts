// Which handler answers which data-plane path, as the v9 client's generated APIs spell them.

import type { ApiRequest } from './api-request.ts';
import { badRequest, notServed } from './errors.ts';
import type { IndexStore } from './index-store.ts';
import { deleteNamespace, describeIndexStats, describeNamespace, listNamespaces } from './namespace-routes.ts';
import { deleteVectors, fetchVectors, listVectors, queryVectors, upsertVectors } from './vector-routes.ts';

type Handler = (store: IndexStore, request: ApiRequest) => unknown;

const ROUTES: Record<string, Handler> = {
  'POST /vectors/upsert': upsertVectors,
  'POST /query': queryVectors,
  'GET /vectors/fetch': fetchVectors,
  'POST /vectors/delete': deleteVectors,
  'GET /vectors/list': listVectors,
  'GET /namespaces': listNamespaces,
  'POST /describe_index_stats': describeIndexStats,
};

const NAMESPACE_PATH = /^\/namespaces\/([^/]+)$/;

export function route(store: IndexStore, request: ApiRequest): unknown {
  const handler = ROUTES[`${request.method} ${request.path}`];
  if (handler) return handler(store, request);
  const encoded = NAMESPACE_PATH.exec(request.path)?.[1];
  if (encoded !== undefined && request.method === 'GET') return describeNamespace(store, decodeSegment(encoded));
  if (encoded !== undefined && request.method === 'DELETE') return deleteNamespace(store, decodeSegment(encoded));
  // Real endpoints this stand-in leaves out (update, fetch_by_metadata, records, imports, ...) say
  // so by name: the client's PineconeMethodNotAllowedError shows this message, a 404 would not.
  throw notServed(`the local Pinecone does not serve ${request.method} ${request.path}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed namespace in path: ${segment}`);
  }
}
