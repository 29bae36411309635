// docs/threat-model.md T28 through the API: each tenant's unique canary, ingested for it, never appears in
// another tenant's query results, conversation answers, document lists or error messages, even
// when the other tenant searches for it by name with identical documents of its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from './harness.ts';
import { ingestedDocument, widgetConversation } from './resources.ts';

let h: Harness;
let tenants: TestTenant[];
const documents = new Map<string, string>();

// The same sentence for every tenant but the canary: vectors nearly identical across tenants.
const sentence = (tenant: TestTenant) => `The secret project codename is ${tenant.canary} and it ships in spring.`;

beforeAll(async () => {
  h = await createHarness(3);
  tenants = h.tenants;
  for (const tenant of tenants) documents.set(tenant.id, await ingestedDocument(h, tenant, sentence(tenant)));
});

const others = (tenant: TestTenant) => tenants.filter((t) => t.id !== tenant.id);
const expectNoneOf = (text: string, foreign: TestTenant[]) => {
  for (const other of foreign) {
    expect(text).not.toContain(other.canary);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(documents.get(other.id));
  }
};

describe('canaries never cross tenants', () => {
  it('query results: searching for another tenant’s canary finds only one’s own document', async () => {
    for (const tenant of tenants) {
      for (const target of tenants) {
        const res = await api(h, tenant, '/v1/query', {
          key: 'publishable',
          body: { query: `secret project codename ${target.canary}`, topK: 20 },
        });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).toContain(tenant.canary);
        expectNoneOf(text, others(tenant));
      }
    }
  });

  it('conversation answers', async () => {
    for (const tenant of tenants) {
      const conversation = await widgetConversation(h, tenant);
      for (const target of others(tenant)) {
        const res = await api(h, tenant, `/v1/conversations/${conversation.id}/messages`, {
          key: 'publishable',
          headers: { 'x-widget-user': conversation.widgetUser },
          body: { content: `What is the codename ${target.canary}?` },
        });
        const body = await json<{ answer: { content: string }; citations: unknown[] }>(res);
        // The question echoes the other canary by design; the answer and its citations must not.
        expectNoneOf(JSON.stringify([body.answer, body.citations]), others(tenant));
        expect(body.answer.content).toContain(tenant.canary);
      }
    }
  });

  it('document lists, and the errors for another tenant’s document ids', async () => {
    for (const tenant of tenants) {
      expectNoneOf(await (await api(h, tenant, '/v1/documents?limit=100')).text(), others(tenant));
      for (const other of others(tenant)) {
        const id = documents.get(other.id) as string;
        for (const path of [`/v1/documents/${id}`, `/v1/documents/${id}/download`]) {
          const res = await api(h, tenant, path);
          expect(res.status).toBe(404);
          const text = await res.text();
          expect(text).not.toContain(other.canary);
          expect(text).not.toContain(other.id);
        }
      }
    }
  });
});
