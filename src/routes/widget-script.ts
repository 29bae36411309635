// GET /widget.js: the embeddable widget (docs/widget.md), bundled from src/widget/ui/ by
// scripts/build-widget.ts. Public and the same for every tenant: it holds no key and no tenant
// data, so it is served before any tenant is resolved. Pages load it from the tenant's own host
// ({slug}.{API_HOST}), the origin the widget then calls, where CORS preflights are answered.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { describePublicRoute, media } from '../http/openapi-describe.ts';
import { WIDGET_SCRIPT } from '../widget/widget-bundle.generated.ts';

export const widgetScript = new Hono<AppEnv>().get(
  '/widget.js',
  describePublicRoute({
    summary: 'The embeddable chat widget script',
    tags: ['public'],
    responses: { 200: media('The widget, for <script src="…/widget.js" data-key="pk_…" async>', 'text/javascript') },
  }),
  (c) =>
    c.body(WIDGET_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      // Any page may load the script (it is the point); it reads nothing of the page's origin.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }),
);
