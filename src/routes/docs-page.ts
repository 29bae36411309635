// GET /docs: the API reference page, Scalar's renderer over /openapi.json. Public and the same for
// every caller. The renderer's script is pinned to one version on its CDN and is the only script the
// page's Content-Security-Policy lets run, besides the inline start-up script that carries the nonce
// (docs/threat-model.md T61).
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { describePublicRoute, media } from '../http/openapi-describe.ts';
import { OPENAPI_PATH } from './openapi.ts';

const RENDERER_ORIGIN = 'https://cdn.jsdelivr.net';
const RENDERER = `${RENDERER_ORIGIN}/npm/@scalar/api-reference@1.76.0`;

const contentSecurityPolicy = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${RENDERER}`,
    `style-src 'unsafe-inline' ${RENDERER_ORIGIN} https://fonts.scalar.com`,
    `font-src ${RENDERER_ORIGIN} https://fonts.scalar.com data:`,
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const reference = Scalar<AppEnv>((c) => {
  const nonce = crypto.randomUUID().replaceAll('-', '');
  c.header('Content-Security-Policy', contentSecurityPolicy(nonce));
  return { url: OPENAPI_PATH, pageTitle: 'Bulkhead API reference', cdn: RENDERER, nonce };
});

export const docsPage = new Hono<AppEnv>().get(
  '/docs',
  describePublicRoute({
    summary: 'The API reference page (renders /openapi.json)',
    tags: ['public'],
    responses: { 200: media('An HTML page', 'text/html') },
  }),
  reference,
);
