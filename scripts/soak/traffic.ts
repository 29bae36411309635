// One soak tenant's traffic against a running Worker: a mix of ingest, query, list, read, download,
// delete and widget conversations at a steady rate, every answer checked against what the tenant
// itself made. An item in an answer that is not the caller's (a document or chunk id it never
// created, another tenant's canary) is looked up in Postgres afterwards: another tenant's is a
// cross-tenant item, and the count must stay 0.
import { callFrom } from './client-address.ts';
import type { SoakTenant } from './soak-tenants.ts';

export interface Sample {
  route: string;
  ms: number;
  status: number;
  /** Date.now() when the answer was read. */
  endedAt: number;
}

export interface TrafficRecorder {
  sample(tenant: SoakTenant, sample: Sample): void;
  crossTenant(tenant: SoakTenant, route: string, what: string): void;
  /** An id in a 2xx answer the tenant's own answers never named: Postgres decides whose it is. */
  unknownId(tenant: SoakTenant, route: string, id: string): void;
}

export interface TrafficOptions {
  baseUrl: string;
  /** Requests per second this tenant sends. */
  rate: number;
  until: number;
  /** Canaries of every other tenant in the run. */
  foreignCanaries: string[];
  /** This tenant's own client address (scripts/soak/client-address.ts). */
  localAddress: string;
  /** Only POST /v1/query (the noisy neighbour's flood). */
  queryOnly?: boolean;
}

const TOPICS = ['refunds', 'shipping', 'warranty', 'invoices', 'accounts', 'privacy', 'returns', 'pricing'];
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

type Step = 'ingest' | 'query' | 'list' | 'read' | 'download' | 'delete' | 'conversation';
const MIX: Array<[Step, number]> = [
  ['query', 30],
  ['list', 15],
  ['ingest', 15],
  ['conversation', 15],
  ['read', 10],
  ['download', 7],
  ['delete', 8],
];

function pickStep(random: number): Step {
  let left = random * 100;
  for (const [step, weight] of MIX) {
    left -= weight;
    if (left < 0) return step;
  }
  return 'query';
}

/** What a tenant made so far, kept across phases of a run. */
export interface TenantState {
  /** Every id this tenant's own answers introduced: documents, conversations, messages, the tenant. */
  own: Set<string>;
  /** Its live documents, oldest first. */
  documents: string[];
  n: number;
}

/** `existing`: what Postgres holds for the tenant already (a reused tenants file), read as the owner. */
export const tenantState = (tenant: SoakTenant, existing: { ids: string[]; documents: string[] }): TenantState => ({
  own: new Set([tenant.id, tenant.projectId, ...existing.ids]),
  documents: [...existing.documents],
  n: 0,
});

export async function runTenantTraffic(
  tenant: SoakTenant,
  state: TenantState,
  options: TrafficOptions,
  recorder: TrafficRecorder,
) {
  const { own, documents } = state;

  const call = async (route: string, path: string, init: RequestInit & { publishable?: boolean } = {}) => {
    const headers: Record<string, string> = {
      'x-api-key': init.publishable ? tenant.publishableKey : tenant.secretKey,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.publishable ? { origin: tenant.origin } : {}),
      ...((init.headers as Record<string, string>) ?? {}),
    };
    const started = performance.now();
    let status = 0;
    let text = '';
    try {
      const body = typeof init.body === 'string' ? init.body : undefined;
      const res = await callFrom(options.localAddress, `${options.baseUrl}${path}`, {
        method: init.method,
        headers,
        body,
      });
      text = res.text;
      status = res.status;
    } catch {
      status = 599; // no answer at all counts with the 5xx
    }
    recorder.sample(tenant, { route, ms: performance.now() - started, status, endedAt: Date.now() });
    check(route, text, status);
    return { status, text };
  };

  const check = (route: string, text: string, status: number) => {
    for (const canary of options.foreignCanaries) {
      if (text.includes(canary)) recorder.crossTenant(tenant, route, 'a foreign canary');
    }
    if (status >= 300) return;
    // 2xx: every id in it must be one this tenant's own answers introduced, or new here (a create).
    const ids = (text.match(UUIDS) ?? []).map((id) => id.toLowerCase());
    const creates = route.startsWith('POST');
    for (const id of ids) {
      if (own.has(id)) continue;
      if (creates) own.add(id);
      else recorder.unknownId(tenant, route, id);
    }
  };

  const interval = 1000 / options.rate;
  let next = performance.now();
  while (Date.now() < options.until) {
    const step = options.queryOnly ? 'query' : pickStep(Math.random());
    const n = state.n++;
    const topic = TOPICS[n % TOPICS.length] as string;
    const documentId = documents[Math.floor(Math.random() * documents.length)];
    switch (step) {
      case 'ingest': {
        const text = `${tenant.canary} explains ${topic} for soak item ${n}. Ask about ${topic} any time.`;
        const res = await call('POST /v1/ingest', '/v1/ingest', {
          method: 'POST',
          body: JSON.stringify({ source: 'document', title: `${topic} ${n}`, text, projectId: tenant.projectId }),
        });
        if (res.status === 201) documents.push((JSON.parse(res.text) as { id: string }).id.toLowerCase());
        break;
      }
      case 'query':
        await call('POST /v1/query', '/v1/query', {
          method: 'POST',
          publishable: true,
          body: JSON.stringify({ query: `${topic} question ${n}`, topK: 5 }),
        });
        break;
      case 'list':
        await call('GET /v1/documents', '/v1/documents?limit=20');
        break;
      case 'read':
        if (documentId) await call('GET /v1/documents/:id', `/v1/documents/${documentId}`);
        break;
      case 'download':
        if (documentId) await call('GET /v1/documents/:id/download', `/v1/documents/${documentId}/download`);
        break;
      case 'delete':
        // Keeps the set from growing without bound: delete the oldest once there are enough.
        if (documents.length > 20) {
          const oldest = documents.shift() as string;
          await call('DELETE /v1/documents/:id', `/v1/documents/${oldest}`, { method: 'DELETE' });
        }
        break;
      case 'conversation': {
        const started = await call('POST /v1/conversations', '/v1/conversations', {
          method: 'POST',
          publishable: true,
          body: '{}',
        });
        if (started.status !== 201) break;
        const { conversation, widgetUser } = JSON.parse(started.text) as {
          conversation: { id: string };
          widgetUser: string;
        };
        await call('POST /v1/conversations/:id/messages', `/v1/conversations/${conversation.id}/messages`, {
          method: 'POST',
          publishable: true,
          headers: { 'x-widget-user': widgetUser },
          body: JSON.stringify({ content: `What about ${topic}?` }),
        });
        break;
      }
    }
    next += interval;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else next = performance.now(); // behind: no catch-up burst
  }
}
