// A small typed client for Bulkhead's public API: documents (with the upload through the presigned
// URL), text ingestion, retrieval, conversations and messages. Typed end to end from the server's
// route table (`AppType`, through hono/client): a request or answer shape the routes change breaks
// the callers' type check, not their users. Errors throw BulkheadApiError with the envelope's code.
// Runs in browsers, Workers and Node (only `fetch`); the widget keeps one per page.
import { hc } from 'hono/client';
import type { AppType } from '../app.ts';

export interface BulkheadClientOptions {
  /** The API's origin, e.g. https://acme.api.example (a tenant's subdomain) or https://api.example. */
  baseUrl: string;
  /** `sk_…` (servers) or `pk_…` (browsers, from the tenant's allowed origins). */
  apiKey?: string;
  /** An end user's JWT from the tenant's identity provider: Authorization: Bearer. */
  userToken?: string;
  /** The widget end user (x-widget-user); set by conversations.start when the API issues one. */
  widgetUser?: string;
  /** The API's fetch; e.g. `(input, init) => app.request(input, init, env)` in tests. */
  fetch?: typeof fetch;
  /** The object store's fetch for the presigned PUT; `fetch` of the platform by default. */
  uploadFetch?: typeof fetch;
}

/** An error answer of the API: the envelope's code, message and request id, and the status. */
export class BulkheadApiError extends Error {
  override name = 'BulkheadApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string;
  constructor(status: number, code: string, message: string, requestId: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

interface Answer<T> {
  ok: boolean;
  status: number;
  json(): Promise<T>;
  text(): Promise<string>;
}

async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  const res = await pending;
  if (res.ok) return res.json();
  const text = await res.text();
  let error: { code?: string; message?: string; requestId?: string } = {};
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
  } catch {}
  throw new BulkheadApiError(res.status, error.code ?? 'unknown', error.message ?? text, error.requestId ?? '');
}

export function createBulkheadClient(options: BulkheadClientOptions) {
  const state = { widgetUser: options.widgetUser };
  const headers = () => {
    const sent: Record<string, string> = {};
    if (options.apiKey) sent['x-api-key'] = options.apiKey;
    if (options.userToken) sent.authorization = `Bearer ${options.userToken}`;
    if (state.widgetUser) sent['x-widget-user'] = state.widgetUser;
    return sent;
  };
  const { v1 } = hc<AppType>(options.baseUrl, { fetch: options.fetch, headers });
  const uploadFetch = options.uploadFetch ?? ((input, init) => fetch(input, init));

  const documents = {
    create: (input: Parameters<typeof v1.documents.$post>[0]['json']) => unwrap(v1.documents.$post({ json: input })),
    /** PUT the content to the presigned URL that `create` returned, with exactly its headers. */
    async upload(
      created: { upload: { method: string; url: string; headers: Record<string, string> } },
      body: BodyInit,
    ) {
      const { method, url, headers: signed } = created.upload;
      const res = await uploadFetch(url, { method, headers: signed, body });
      if (!res.ok) throw new BulkheadApiError(res.status, 'upload_failed', await res.text(), '');
      await res.body?.cancel();
    },
    complete: (id: string) => unwrap(v1.documents[':id'].complete.$post({ param: { id } })),
    /** create → upload → complete: a file in, its ingestion result out. */
    async add(input: Parameters<typeof v1.documents.$post>[0]['json'], body: BodyInit) {
      const created = await documents.create(input);
      await documents.upload(created, body);
      return { document: created.document, ingestion: await documents.complete(created.document.id) };
    },
    list: (query: { projectId?: string; limit?: number; cursor?: string } = {}) =>
      unwrap(
        v1.documents.$get({
          query: {
            ...(query.projectId && { projectId: query.projectId }),
            ...(query.limit !== undefined && { limit: String(query.limit) }),
            ...(query.cursor && { cursor: query.cursor }),
          },
        }),
      ),
    get: (id: string) => unwrap(v1.documents[':id'].$get({ param: { id } })),
    download: (id: string) => unwrap(v1.documents[':id'].download.$get({ param: { id } })),
    async delete(id: string) {
      const res = await v1.documents[':id'].$delete({ param: { id } });
      if (!res.ok) await unwrap(Promise.resolve(res as unknown as Answer<never>));
    },
  };

  const conversations = {
    /** Keeps the widget user the API issues, for every later call of this client. */
    async start(input: Parameters<typeof v1.conversations.$post>[0]['json'] = {}) {
      const started = await unwrap(v1.conversations.$post({ json: input, header: {} }));
      if (started.widgetUser) state.widgetUser = started.widgetUser;
      return started;
    },
    get: (id: string) => unwrap(v1.conversations[':id'].$get({ param: { id }, header: {} })),
    /** The JSON answer (201); for the event stream, send Accept: text/event-stream yourself. */
    postMessage: (id: string, input: Parameters<(typeof v1.conversations)[':id']['messages']['$post']>[0]['json']) =>
      unwrap(v1.conversations[':id'].messages.$post({ param: { id }, json: input, header: {} })),
  };

  return {
    whoami: () => unwrap(v1.whoami.$get()),
    projects: () => unwrap(v1.projects.$get()),
    documents,
    ingest: (input: Parameters<typeof v1.ingest.$post>[0]['json']) => unwrap(v1.ingest.$post({ json: input })),
    query: (input: Parameters<typeof v1.query.$post>[0]['json']) => unwrap(v1.query.$post({ json: input })),
    conversations,
    /** The widget user this client sends (issued by conversations.start, or given). */
    get widgetUser() {
      return state.widgetUser;
    },
  };
}

export type BulkheadClient = ReturnType<typeof createBulkheadClient>;
