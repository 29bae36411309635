// Debian's Chromium (apt-get install chromium; .ci/run installs it when missing), driven by
// playwright-core: no browser is ever downloaded. Screenshots go to .bulkhead/screenshots/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type DemoPage, demoPageHtml } from '../../../local/demo-pages.ts';

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

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), '.bulkhead', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI has no user namespace for the sandbox. Local Network Access would ask a
    // permission for a public-looking page calling loopback; every origin here is a stand-in.
    args: ['--no-sandbox', '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights'],
  });
}

/**
 * A demo page served on `page.origin` itself, whatever host it names (https://widget.globex.example
 * included): the browser fulfils the navigation from demoPageHtml, so the document's origin is
 * exactly that origin while every request it makes (widget.js, the API) goes to the real Worker.
 */
export async function openDemoPage(context: BrowserContext, page: DemoPage): Promise<Page> {
  await context.route(`${page.origin}/`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: demoPageHtml(page) }),
  );
  const tab = await context.newPage();
  await tab.goto(`${page.origin}/`);
  await tab.locator('[part=launcher]').waitFor();
  return tab;
}

/** Opens the panel if needed, asks, and waits until the answer or a failure is shown. */
export async function ask(tab: Page, question: string): Promise<void> {
  if (!(await tab.locator('[part=panel]').isVisible())) await tab.locator('[part=launcher]').click();
  const answered = tab.locator('[part=answer]:not([aria-busy]), [part=status][data-failure]');
  const before = await answered.count();
  await tab.locator('[part=input]').fill(question);
  await tab.locator('[part=send]').click();
  await tab.waitForFunction(
    (n) => {
      const root = document.querySelector('[data-bulkhead-widget]')?.shadowRoot;
      return (root?.querySelectorAll('[part=answer]:not([aria-busy]), [part=status][data-failure]').length ?? 0) > n;
    },
    before,
    { timeout: 15_000 },
  );
}

export const screenshot = (tab: Page, name: string) => tab.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
