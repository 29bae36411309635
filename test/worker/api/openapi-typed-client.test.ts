// The typed client (src/client/bulkhead-client.ts) against the whole app: a document added through
// its presigned upload and ingested, listed, read, downloaded, found by a query, and asked about in
// a widget conversation, then deleted; another tenant's client gets BulkheadApiError not_found for
// it. Every answer the client receives is held to the OpenAPI document too.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BulkheadApiError, createBulkheadClient } from '../../../src/client/bulkhead-client.ts';
import { createHarness, type Harness, type TestTenant } from './harness.ts';
import { assertConformsToDocument, documentOf } from './openapi-conformance.ts';

const origin = `https://${env.API_HOST}`;

describe('the typed client', () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    h = await createHarness(2);
    [a, b] = h.tenants as [TestTenant, TestTenant];
  });

  /** The app as the client's fetch, every answer checked against the document. */
  const appFetch = (extra: Record<string, string> = {}): typeof fetch =>
    (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      for (const [name, value] of Object.entries(extra)) request.headers.set(name, value);
      const res = await h.app.request(request, undefined, env);
      await assertConformsToDocument(await documentOf(h.app, origin, env), request.method, request.url, res);
      return res;
    }) as typeof fetch;

  it('adds, finds, reads, downloads and deletes a document; another tenant gets not_found', async () => {
    const client = createBulkheadClient({ baseUrl: origin, apiKey: a.keys.secret, fetch: appFetch() });
    const text = `${a.canary} Returns are accepted within 30 days if the shoes are unworn.`;
    const added = await client.documents.add(
      {
        projectId: a.projectIds[0],
        title: 'Returns',
        filename: 'returns.txt',
        contentType: 'text/plain',
        sizeBytes: text.length,
      },
      text,
    );
    expect(added.ingestion).toMatchObject({ id: added.document.id, status: 'ready' });

    const page = await client.documents.list({ limit: 10 });
    expect(page.documents.map((d) => d.id)).toContain(added.document.id);
    expect((await client.documents.get(added.document.id)).status).toBe('ready');
    const download = await client.documents.download(added.document.id);
    expect(await (await fetch(download.url)).text()).toBe(text);

    const found = await client.query({ query: 'returns unworn shoes', topK: 3, projectId: added.document.projectId });
    expect(found.results[0]?.text).toContain(a.canary);

    const other = createBulkheadClient({ baseUrl: origin, apiKey: b.keys.secret, fetch: appFetch() });
    const refused = await other.documents.get(added.document.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BulkheadApiError);
    expect(refused).toMatchObject({ status: 404, code: 'not_found' });

    await client.documents.delete(added.document.id);
    await expect(client.documents.get(added.document.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('ingests text, and a widget conversation keeps its issued user', async () => {
    const server = createBulkheadClient({ baseUrl: origin, apiKey: a.keys.secret, fetch: appFetch() });
    const ingested = await server.ingest({
      projectId: a.projectIds[0],
      source: 'web',
      title: 'Shipping',
      text: `${a.canary} Orders ship within two working days.`,
    });
    expect(ingested.status).toBe('ready');

    const widget = createBulkheadClient({
      baseUrl: origin,
      apiKey: a.keys.publishable,
      fetch: appFetch({ origin: a.origin }),
    });
    const started = await widget.conversations.start({});
    expect(started.widgetUser).toMatch(/^wu_/);
    expect(widget.widgetUser).toBe(started.widgetUser);
    const turn = await widget.conversations.postMessage(started.conversation.id, { content: 'When do orders ship?' });
    expect(turn.answer.role).toBe('assistant');
    const read = await widget.conversations.get(started.conversation.id);
    expect(read.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

    // Without the issued user the same conversation is not there.
    const stranger = createBulkheadClient({
      baseUrl: origin,
      apiKey: a.keys.publishable,
      fetch: appFetch({ origin: a.origin }),
    });
    await expect(stranger.conversations.get(started.conversation.id)).rejects.toMatchObject({ status: 404 });
  });

  it('the caller: whoami and projects are typed', async () => {
    const client = createBulkheadClient({ baseUrl: origin, apiKey: a.keys.readOnly, fetch: appFetch() });
    const me = await client.whoami();
    expect(me.tenantId).toBe(a.id);
    expect(me.scopes).toEqual(['documents:read']);
    expect((await client.projects()).projects.map((p) => p.id).sort()).toEqual([...a.projectIds].sort());
    await expect(client.query({ query: 'x' })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });
});
