// The SigV4 arithmetic as S3 applies it: canonical request, string to sign, signature.
// Kept apart from the checks so it reads like AWS's documentation of it, step by step.
import { createHash, createHmac } from 'node:crypto';

export interface SigningInput {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  /** Leave X-Amz-Signature out of the canonical query (it is in the URL of a presigned request). */
  presigned: boolean;
  headers: Map<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  amzDate: string;
  scope: { date: string; region: string; service: string; terminator: string };
  secret: string;
}

export interface Signing {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Undefined when the path cannot be decoded, so it cannot have been signed either. */
export function sign(input: SigningInput): Signing | undefined {
  const path = decodeS3Path(input.rawPath);
  if (path === undefined) return undefined;
  const canonicalRequest = [
    input.method.toUpperCase(),
    uriEncode(path, true),
    canonicalQuery(input.query, input.presigned),
    ...input.signedHeaders.map((name) => `${name}:${trimAll(input.headers.get(name) ?? '')}`),
    '',
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
  const { date, region, service, terminator } = input.scope;
  const scope = `${date}/${region}/${service}/${terminator}`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${input.secret}`, date);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  return { canonicalRequest, stringToSign, signature: hmac(key, stringToSign).toString('hex') };
}

/**
 * The path as S3 reads it: decoded once, with a raw '+' meaning space (an S3 quirk that aws4fetch
 * mirrors). S3 does not normalise it: `a/../b` is a key of its own.
 */
export function decodeS3Path(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function canonicalQuery(query: URLSearchParams, presigned: boolean): string {
  return [...query]
    .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name, false), uriEncode(value, false)] as const)
    .sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** AWS UriEncode: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded ('/' too, unless in a path). */
export function uriEncode(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const trimAll = (value: string) => value.trim().replace(/\s+/g, ' ');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
