// One fuzzing session: three harness tenants with planted canaries (ingested documents, an upload,
// widget conversations), the operations from the app's OpenAPI document (or the route schemas),
// then `runs` requests drawn by fast-check from a fixed seed, each sent through the whole app and
// judged by the oracle. Violations are counted, not thrown, so one run reports all of them.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { vi } from 'vitest';
import { api, createHarness, type Harness, json, type TestTenant } from '../api/harness.ts';
import { ingestedDocument, uploadedDocument, widgetConversation } from '../api/resources.ts';
import { type Operation, operationsFromOpenApi, operationsFromRouteSchemas } from './operations.ts';
import { judge, Ownership, type Violation } from './oracle.ts';
import { type FuzzRequest, type FuzzTenant, type FuzzWorld, requestArb } from './requests.ts';
import { stateFingerprint } from './state-fingerprint.ts';

export interface FuzzReport {
  seed: number;
  fuzzRequests: number;
  fuzz5xx: number;
  fuzzLeaks: number;
  envelopeViolations: number;
  cacheControlViolations: number;
  stateChanges: number;
  /** Generated but not sendable by any HTTP client (left out of fuzzRequests). */
  unsendable: number;
  operationsFrom: 'openapi' | 'route-schemas';
  operations: number;
  statuses: Record<string, number>;
  /** Up to 20 failing requests, each with what it broke. */
  failures: Array<{
    violations: Violation[];
    status: number;
    label: string;
    url: string;
    body?: string;
    answer: string;
  }>;
  seconds: number;
}

const SAFE_HEADER = /[^\t\x20-\x7e\x80-\xff]/g;
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

async function plant(h: Harness, tenant: TestTenant): Promise<FuzzTenant> {
  const documentIds = [
    await ingestedDocument(h, tenant),
    await ingestedDocument(h, tenant, `${tenant.canary} ships in spring; the refund policy is thirty days.`),
    await uploadedDocument(h, tenant),
  ];
  const conversations = [await widgetConversation(h, tenant), await widgetConversation(h, tenant)];
  const first = conversations[0] as { id: string; widgetUser: string };
  await api(h, tenant, `/v1/conversations/${first.id}/messages`, {
    key: 'publishable',
    headers: { 'x-widget-user': first.widgetUser },
    body: { content: 'What ships in spring?' },
  });
  return {
    ...tenant,
    projectIds: [...tenant.projectIds],
    documentIds,
    conversationIds: conversations.map((c) => c.id),
    widgetUsers: conversations.map((c) => c.widgetUser),
  };
}

/** From GET /openapi.json when the app serves it (any credential-free 200 JSON with paths), else the schemas. */
async function discoverOperations(
  h: Harness,
): Promise<{ from: FuzzReport['operationsFrom']; operations: Operation[] }> {
  const tenant = h.tenants[0] as TestTenant;
  const res = await api(h, tenant, '/openapi.json', { key: 'none' });
  if (res.ok) {
    const doc = await json<{ paths?: Record<string, never> }>(res).catch(() => undefined);
    const operations = doc?.paths ? operationsFromOpenApi(doc) : [];
    if (operations.length) return { from: 'openapi', operations };
  }
  return { from: 'route-schemas', operations: operationsFromRouteSchemas() };
}

export async function fuzzSession({ runs, seed }: { runs: number; seed: number }): Promise<FuzzReport> {
  const started = performance.now();
  const h = await createHarness(3);
  const tenants = await Promise.all(h.tenants.map((t) => plant(h, t)));
  const { from, operations } = await discoverOperations(h);
  const world: FuzzWorld = { apiHost: env.API_HOST, tenants, operations };
  const ownership = new Ownership(
    tenants.map((t) => ({
      canary: t.canary,
      ids: [t.id, ...t.projectIds, ...t.documentIds, ...t.conversationIds],
      secrets: [...Object.values(t.keys), ...t.widgetUsers],
    })),
  );
  const tenantIds = tenants.map((t) => t.id);
  let baseline = await stateFingerprint(tenantIds);
  const report: FuzzReport = {
    seed,
    fuzzRequests: 0,
    fuzz5xx: 0,
    fuzzLeaks: 0,
    envelopeViolations: 0,
    cacheControlViolations: 0,
    stateChanges: 0,
    unsendable: 0,
    operationsFrom: from,
    operations: operations.length,
    statuses: {},
    failures: [],
    seconds: 0,
  };

  const send = async (request: FuzzRequest) => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, v.replace(SAFE_HEADER, '?')]),
    );
    let sent: Request;
    try {
      sent = new Request(request.url, { method: request.method, headers, body: request.body });
    } catch {
      report.unsendable++; // no client could send it (e.g. a body on HEAD): not a request
      return;
    }
    const executionCtx = createExecutionContext();
    // The app answers every request: one that throws past onError is as bad as a 500.
    const res = await Promise.resolve(h.app.fetch(sent, env, executionCtx)).catch(
      (error: unknown) => new Response(`thrown: ${String(error)}`, { status: 599 }),
    );
    const text = await res.text();
    await waitOnExecutionContext(executionCtx);
    const violations = judge(request, res, text, ownership);
    if (!READ_ONLY.has(request.method)) {
      const now = await stateFingerprint(tenantIds);
      if (res.status >= 400 && now !== baseline) violations.push('stateChange');
      baseline = now;
    }
    if (res.status < 300) ownership.learn(request.callerIndex, text);
    report.fuzzRequests++;
    // On stderr, which the muted request log does not touch: a long run shows it is alive.
    if (report.fuzzRequests % 10_000 === 0)
      console.warn(`fuzz: ${report.fuzzRequests} requests, ${report.fuzz5xx} 5xx`);
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    for (const v of violations) {
      if (v === 'status5xx') report.fuzz5xx++;
      else if (v === 'leak') report.fuzzLeaks++;
      else if (v === 'envelope') report.envelopeViolations++;
      else if (v === 'cacheControl') report.cacheControlViolations++;
      else report.stateChanges++;
    }
    if (violations.length && report.failures.length < 20) {
      report.failures.push({
        violations,
        status: res.status,
        label: request.label,
        url: request.url,
        body: request.body?.slice(0, 300),
        answer: text.slice(0, 300),
      });
    }
  };

  // One JSON log line per request (src/http/request-metrics.ts) would bury the report.
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await fc.assert(
      fc.asyncProperty(requestArb(world), async (request) => {
        await send(request);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  } finally {
    log.mockRestore();
  }
  report.seconds = Math.round((performance.now() - started) / 1000);
  return report;
}
