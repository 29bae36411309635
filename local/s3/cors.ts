// Bucket CORS as R2 and S3 apply it, for browsers that upload or download through presigned URLs.
// The rules are deployment/r2-cors.json, the policy the deployed bucket gets, so the local store
// refuses exactly what R2 would. A preflight (OPTIONS, unauthenticated) is answered from the first
// rule that allows the origin, the requested method and every requested header, else 403
// AccessForbidden as S3 answers; any other request with an allowed Origin gets the grant headers.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Reply } from './operations.ts';
import { errorXml, S3Error } from './xml.ts';

export interface CorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export const BUCKET_CORS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deployment', 'r2-cors.json');

export async function loadBucketCors(file = BUCKET_CORS_FILE): Promise<CorsRule[]> {
  return JSON.parse(await readFile(file, 'utf8')) as CorsRule[];
}

/** `*` matches any run of characters, as S3 allows one wildcard in an origin or header rule. */
const matches = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map(literal).join('.*')}$`, 'i').test(value);
const literal = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

function ruleFor(rules: readonly CorsRule[], origin: string, method: string, requested: readonly string[]) {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((allowed) => matches(allowed, origin)) &&
      rule.AllowedMethods.includes(method) &&
      requested.every((header) => (rule.AllowedHeaders ?? []).some((allowed) => matches(allowed, header))),
  );
}

const grant = (rule: CorsRule, origin: string) => ({
  'access-control-allow-origin': rule.AllowedOrigins.includes('*') ? '*' : origin,
  ...(rule.ExposeHeaders?.length && { 'access-control-expose-headers': rule.ExposeHeaders.join(', ') }),
  vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
});

/** The grant headers for a non-preflight request from `origin`, if a rule allows its method. */
export function corsHeaders(
  rules: readonly CorsRule[],
  method: string,
  origin: string | undefined,
): Record<string, string> {
  const rule = origin === undefined ? undefined : ruleFor(rules, origin, method, []);
  return rule && origin !== undefined ? grant(rule, origin) : {};
}

export function corsPreflight(rules: readonly CorsRule[], headers: ReadonlyMap<string, string>, path: string): S3Reply {
  const origin = headers.get('origin');
  const method = headers.get('access-control-request-method');
  const refuse = (status: number, code: string, message: string) => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: errorXml(new S3Error(status, code, message), path, ''),
  });
  if (origin === undefined || method === undefined) {
    return refuse(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  }
  const requested = (headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter((header) => header !== '');
  const rule = ruleFor(rules, origin, method, requested);
  if (!rule) return refuse(403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
  return {
    status: 200,
    headers: {
      ...grant(rule, origin),
      'access-control-allow-methods': rule.AllowedMethods.join(', '),
      ...(requested.length > 0 && { 'access-control-allow-headers': requested.join(', ') }),
      ...(rule.MaxAgeSeconds !== undefined && { 'access-control-max-age': String(rule.MaxAgeSeconds) }),
    },
    body: '',
  };
}
