// The widget in a real browser (Debian's Chromium through playwright-core) against the real Worker
// (wrangler's unstable_dev from the committed wrangler.toml) and the test run's local stack, with
// two tenants of its own (test/node/browser/browser-tenants.ts):
// a tenant's page streams an answer citing its own canary document; another tenant's page never
// shows it; a key on an origin its tenant does not allow is stopped by the browser's CORS check;
// a second browser (another widget user) cannot open the first one's conversation; a page uploads
// through a presigned URL; styles do not cross the shadow root; offline, rate-limited and
// maintenance states are shown. Screenshots of each state: .bulkhead/screenshots/.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Unstable_DevWorker, unstable_dev } from 'wrangler';
import type { DemoPage } from '../../../local/demo-pages.ts';
import { type BrowserTenant, provisionBrowserTenants } from './browser-tenants.ts';
import { ask, launchChromium, openDemoPage, screenshot } from './chromium.ts';

// page.evaluate callbacks run in the page but are type-checked in Node's program, which has no DOM
// library: the few page globals they use, declared for this file only.
interface PageNode {
  textContent: string | null;
  shadowRoot: PageNode | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): { length: number };
}
declare const document: PageNode & { getElementById(id: string): PageNode | null };
declare const localStorage: Record<string, string>;
declare function getComputedStyle(node: PageNode | null | undefined): {
  backgroundColor: string;
  fontFamily: string;
  display: string;
};

const API_HOST = 'api.bulkhead.localhost';

let worker: Unstable_DevWorker;
let dir: string;
let browser: Browser;
let a: BrowserTenant;
let b: BrowserTenant;
const contexts: BrowserContext[] = [];

/** The fields of the API's answers these tests read. */
interface ApiBody {
  messages?: Array<{ role: string }>;
  document?: { id: string };
  upload?: { url: string; headers: Record<string, string> };
  status?: string;
}

const apiBase = (tenant: BrowserTenant) => `http://${tenant.slug}.${API_HOST}:${worker.port}`;
const pageOf = (tenant: BrowserTenant, origin = tenant.origin): DemoPage => ({
  slug: tenant.slug,
  origin,
  apiBase: apiBase(tenant),
  publishableKey: tenant.publishableKey,
  projectId: tenant.projectId,
});
const call = async (tenant: BrowserTenant, path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await worker.fetch(`http://${API_HOST}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { 'x-api-key': tenant.secretKey, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: ((await res.json().catch(() => null)) ?? {}) as ApiBody };
};
const newContext = async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  contexts.push(context);
  return context;
};

beforeAll(async () => {
  dir = await mkdtemp(join(process.cwd(), '.bulkhead', 'browser-'));
  const envFile = join(dir, 'empty.env');
  await writeFile(envFile, '');
  ({ a, b } = await provisionBrowserTenants(inject('stack').adminUrl));
  worker = await unstable_dev('src/index.ts', {
    config: 'wrangler.toml',
    vars: { ...inject('stack').workerVars, ENVIRONMENT: 'test' },
    envFiles: [envFile],
    ip: '127.0.0.1',
    port: 0,
    persist: false,
    logLevel: 'none',
    experimental: { disableExperimentalWarning: true },
  });
  for (const tenant of [a, b]) {
    const ingested = await call(tenant, '/v1/ingest', {
      body: {
        source: 'document',
        title: `${tenant.slug} returns policy ${tenant.canary}`,
        text: `Returns policy: ${tenant.canary} customers may return goods within 30 days.`,
        projectId: tenant.projectId,
      },
    });
    expect(ingested.status).toBe(201);
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

const shadowText = (tab: Page) =>
  tab.evaluate(() => document.querySelector('[data-bulkhead-widget]')?.shadowRoot?.textContent ?? '');

describe('the widget in Chromium', { timeout: 45_000 }, () => {
  it('streams an answer on the tenant’s page that cites its own canary document', async () => {
    const tab = await openDemoPage(await newContext(), pageOf(a));
    const answer = tab.waitForResponse((res) => res.url().endsWith('/messages'));
    await ask(tab, 'How many days do customers have for returns?');
    expect((await answer).headers()['content-type']).toMatch(/^text\/event-stream/);
    const citation = tab.locator('[part=citation]').first();
    expect(await citation.locator('[part=citation-title]').textContent()).toContain(a.canary);
    expect(await citation.locator('[part=citation-snippet]').textContent()).toContain(a.canary);
    expect(await tab.locator('[part=answer]').first().textContent()).toContain(a.canary);
    const stored = await tab.evaluate(() => ({ ...localStorage }));
    expect(Object.values(stored).some((v) => /^wu_[\w-]{43}\.[\w-]{43}$/.test(v))).toBe(true);
    await screenshot(tab, 'tenant-a-streamed-answer');
  });

  it('keeps styles on their own side of the shadow root', async () => {
    const tab = await openDemoPage(await newContext(), pageOf(a));
    const styles = await tab.evaluate(() => {
      const root = document.querySelector('[data-bulkhead-widget]')?.shadowRoot;
      const launcher = root?.querySelector('[part=launcher]');
      const pageButton = document.getElementById('page-button');
      const pagePanel = document.getElementById('page-panel');
      return {
        launcher: getComputedStyle(launcher).backgroundColor,
        launcherFont: getComputedStyle(launcher).fontFamily,
        pageButton: getComputedStyle(pageButton).backgroundColor,
        pagePanel: getComputedStyle(pagePanel).display,
      };
    });
    expect(styles.launcher).not.toBe('rgb(255, 105, 180)'); // the page's hotpink stays out
    expect(styles.launcherFont).not.toContain('Georgia');
    expect(styles.pageButton).toBe('rgb(255, 105, 180)'); // and the widget's CSS stays in
    expect(styles.pagePanel).toBe('block');
  });

  it('another tenant’s page, on its own origin, never shows the first tenant’s canary', async () => {
    const tab = await openDemoPage(await newContext(), pageOf(b));
    await ask(tab, 'How many days do customers have for returns?');
    const text = await shadowText(tab);
    expect(text).toContain(b.canary);
    expect(text).not.toContain(a.canary);
    await screenshot(tab, 'tenant-b-answer');
  });

  it('a key on an origin its tenant does not allow fails visibly, stopped by the browser’s CORS check', async () => {
    const context = await newContext();
    const foreign = pageOf(a, b.origin);
    const consoleLines: string[] = [];
    context.on('console', (message: ConsoleMessage) => consoleLines.push(message.text()));
    const failed: string[] = [];
    context.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    const tab = await openDemoPage(context, foreign);
    await ask(tab, 'How many days do customers have for returns?');
    expect(await tab.locator('[part=status]').getAttribute('data-failure')).toBe('blocked');
    expect(await tab.locator('[part=status]').textContent()).toContain('not allowed');
    expect(consoleLines.join('\n')).toMatch(
      /from origin 'https:\/\/widget\.globex\.example' has been blocked by CORS policy/,
    );
    expect(failed.join('\n')).toContain(`${apiBase(a)}/v1/conversations`);
    expect(await shadowText(tab)).not.toContain(a.canary);
    await screenshot(tab, 'origin-not-allowed');
  });

  it('a second browser (another widget user) cannot open the first one’s conversation', async () => {
    const first = await openDemoPage(await newContext(), pageOf(a));
    await ask(first, 'How many days do customers have for returns?');
    const [conversationId] = Object.entries(await first.evaluate(() => ({ ...localStorage })))
      .filter(([name]) => name.endsWith(':conversation'))
      .map(([, value]) => value);
    expect(conversationId).toBeDefined();
    const second = await openDemoPage(await newContext(), pageOf(a));
    await ask(second, 'Hello?');
    const read = await second.evaluate(
      async ({ base, key, id }) => {
        const token = Object.entries({ ...localStorage }).find(([name]) => name.endsWith(':widgetUser'))?.[1] ?? '';
        const res = await fetch(`${base}/v1/conversations/${id}`, {
          headers: { 'x-api-key': key, 'x-widget-user': token },
        });
        return { status: res.status, body: await res.text() };
      },
      { base: apiBase(a), key: a.publishableKey, id: conversationId as string },
    );
    expect(read.status).toBe(404);
    expect(read.body).not.toContain(a.canary);
    // The first user's conversation holds its own turn only.
    const stored = await call(a, `/v1/conversations/${conversationId}`);
    expect(stored.body.messages?.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
  });

  it('uploads a document from a page through its presigned URL; a foreign origin cannot', async () => {
    const content = `Shipping: ${a.canary} ships worldwide.`;
    const created = await call(a, '/v1/documents', {
      body: {
        title: 'Shipping',
        filename: 'shipping.txt',
        contentType: 'text/plain',
        sizeBytes: content.length,
        projectId: a.projectId,
      },
    });
    expect(created.status).toBe(201);
    const { url, headers } = created.body.upload as NonNullable<ApiBody['upload']>;
    const put = (origin: string) =>
      openDemoPage(contexts.at(-1) as BrowserContext, pageOf(a, origin)).then((tab) =>
        tab.evaluate(
          async ({ url, type, body }) => {
            try {
              return (await fetch(url, { method: 'PUT', headers: { 'content-type': type }, body })).status;
            } catch (error) {
              return String(error);
            }
          },
          { url, type: headers['content-type'] as string, body: content },
        ),
      );
    await newContext();
    expect(await put('https://evil.example')).toMatch(/TypeError/);
    expect(await put(a.origin)).toBe(200);
    const completed = await call(a, `/v1/documents/${created.body.document?.id}/complete`, { method: 'POST' });
    expect(completed.status).toBe(202);
    let status = '';
    for (let i = 0; i < 50 && status !== 'ready'; i++) {
      status = (await call(a, `/v1/documents/${created.body.document?.id}`)).body.status ?? '';
      if (status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('ready');
  });

  it('says so when offline, rate-limited (with the retry time) or down for maintenance', async () => {
    const context = await newContext();
    const tab = await openDemoPage(context, pageOf(a));
    await context.setOffline(true);
    await ask(tab, 'Anyone there?');
    expect(await tab.locator('[part=status]').getAttribute('data-failure')).toBe('offline');
    await screenshot(tab, 'offline');
    await context.setOffline(false);

    // The API's own 429 and 503 envelopes, answered for this page only: the widget's rendering of
    // them. A real 503 maintenance cannot reach a page today: a locked tenant's preflight is refused
    // and its 503 carries no CORS grant (src/http/tenant-cors.ts), so the browser sees `blocked`.
    for (const [status, headers, code, failure, shown] of [
      [429, { 'retry-after': '17' }, 'rate_limited', 'rate_limited', 'Try again in 17 s'],
      [503, { 'retry-after': '60' }, 'maintenance', 'maintenance', 'maintenance'],
    ] as const) {
      const other = await openDemoPage(await newContext(), pageOf(a));
      await other.route(`${apiBase(a)}/v1/**`, (route) =>
        route.fulfill({
          status,
          headers: {
            ...headers,
            'access-control-allow-origin': a.origin,
            'access-control-expose-headers': 'retry-after',
          },
          contentType: 'application/json',
          body: JSON.stringify({ error: { code, message: code, requestId: 'r' } }),
        }),
      );
      await ask(other, 'Anyone there?');
      expect(await other.locator('[part=status]').getAttribute('data-failure')).toBe(failure);
      expect(await other.locator('[part=status]').textContent()).toContain(shown);
      await screenshot(other, failure);
    }
  });
});
