// Demo pages for `npm run dev`: for each demo tenant with an `http://localhost:PORT` origin on its
// allowedOrigins, a small static server on that port whose page embeds the widget from the tenant's
// own API host ({slug}.{API_HOST}, which Chromium and Firefox resolve to loopback). The page has
// deliberately loud CSS of its own, so a leak either way would show. The browser tests serve the
// same HTML (demoPageHtml) on the origins they need.
import { createServer, type Server } from 'node:http';
import type { DevTenant } from './dev-data.ts';

export interface DemoPage {
  slug: string;
  /** The page's origin, as the tenant allows it. */
  origin: string;
  /** Where the widget script and the API are: http://{slug}.{API_HOST}:PORT */
  apiBase: string;
  publishableKey: string;
  projectId?: string;
}

const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function demoPageHtml(page: DemoPage): string {
  const project = page.projectId ? ` data-project="${attribute(page.projectId)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${attribute(page.slug)} demo page</title>
<style>
  /* The host page's own styles: the widget's shadow root must neither take nor give any of them. */
  body { font-family: Georgia, serif; background: #fffbe6; color: #402000; margin: 40px; }
  button, .launcher, .panel { background: hotpink !important; font-size: 30px !important; }
  p { line-height: 3; }
</style>
</head>
<body>
<h1>${attribute(page.slug)}: widget demo</h1>
<p>This page is served on <code>${attribute(page.origin)}</code> and embeds ${attribute(page.slug)}'s widget.</p>
<button type="button" id="page-button">A button of the page</button>
<div class="panel" id="page-panel">An element of the page with the widget's class name</div>
<script src="${attribute(page.apiBase)}/widget.js" data-key="${attribute(page.publishableKey)}"${project} data-title="${attribute(page.slug)} help" async></script>
</body>
</html>
`;
}

/** The first http://localhost:PORT origin of `origins`, where a local page can be served. */
export function localOriginOf(origins: readonly string[]): { origin: string; port: number } | undefined {
  for (const origin of origins) {
    const match = /^http:\/\/localhost:(\d{1,5})$/.exec(origin);
    if (match) return { origin, port: Number(match[1]) };
  }
  return undefined;
}

export interface ServedDemoPages {
  urls: Map<string, string>;
  close(): Promise<void>;
}

/** One server per page, on 127.0.0.1 and the origin's port; a port in use is reported, not fatal. */
export async function serveDemoPages(
  pages: readonly DemoPage[],
  log: (line: string) => void,
): Promise<ServedDemoPages> {
  const servers: Server[] = [];
  const urls = new Map<string, string>();
  for (const page of pages) {
    const local = localOriginOf([page.origin]);
    if (!local) continue;
    const html = demoPageHtml(page);
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(local.port, '127.0.0.1', resolve);
      });
      servers.push(server);
      urls.set(page.slug, `${page.origin}/`);
    } catch (error) {
      log(`  demo page for ${page.slug}: port ${local.port} is not free (${(error as Error).message})`);
    }
  }
  return {
    urls,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

/** The demo page of each demo tenant that allows an http://localhost:PORT origin. */
export function demoPagesFor(tenants: readonly DevTenant[], apiHost: string, apiPort: number): DemoPage[] {
  return tenants.flatMap((tenant) => {
    const local = localOriginOf(tenant.allowedOrigins);
    if (!local) return [];
    const reach = tenant.keyProjects.publishable;
    const projectId = reach === 'all' ? tenant.projects[0]?.id : reach[0];
    const apiBase = `http://${tenant.slug}.${apiHost}:${apiPort}`;
    return [{ slug: tenant.slug, origin: local.origin, apiBase, publishableKey: tenant.publishableKey, projectId }];
  });
}
