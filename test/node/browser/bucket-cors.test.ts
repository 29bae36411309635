// The bucket's CORS policy (deployment/r2-cors.json, what R2 gets and what local/s3 applies):
// exactly the active tenants' allowed origins, no wildcard, only the methods presigned URLs use; and
// the local store answers preflights on a presigned URL as R2 does: granted for an allowed origin,
// method and header, 403 for anything else, and the grant on the actual answer.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorsRule, loadBucketCors } from '../../../local/s3/cors.ts';
import { type LocalS3, startLocalS3 } from '../../../local/s3/server.ts';

let rules: CorsRule[];
let s3: LocalS3;
beforeAll(async () => {
  rules = await loadBucketCors();
  s3 = await startLocalS3({
    bucket: 'cors-test',
    region: 'auto',
    credentials: [{ accessKeyId: 'AKIDEXAMPLECORS', secretAccessKey: 'fake-secret-for-cors-tests-only' }],
  });
});
afterAll(() => s3?.close());

const preflight = (origin: string | undefined, method: string, headers?: string) =>
  fetch(`${s3.endpoint}/cors-test/tenants/t/doc/file.txt?X-Amz-Expires=300`, {
    method: 'OPTIONS',
    headers: {
      ...(origin && { origin }),
      'access-control-request-method': method,
      ...(headers && { 'access-control-request-headers': headers }),
    },
  });

describe('deployment/r2-cors.json', () => {
  it('allows exactly the active tenants’ origins, never a wildcard', async () => {
    const registry = JSON.parse(await readFile('configs/tenants/provisioning.json', 'utf8')) as {
      tenants: Array<{ status: string; allowedOrigins: string[] }>;
    };
    const active = new Set(registry.tenants.filter((t) => t.status === 'active').flatMap((t) => t.allowedOrigins));
    const allowed = rules.flatMap((rule) => rule.AllowedOrigins);
    expect(new Set(allowed)).toEqual(active);
    expect(allowed.some((origin) => origin.includes('*'))).toBe(false);
  });

  it('allows only the presigned URLs’ methods and the one header they need', () => {
    for (const rule of rules) {
      expect(rule.AllowedMethods.toSorted()).toEqual(['GET', 'HEAD', 'PUT']);
      expect(rule.AllowedHeaders).toEqual(['content-type']);
      expect(rule.MaxAgeSeconds).toBeLessThanOrEqual(3600);
    }
  });
});

describe('local S3 bucket CORS', () => {
  it('grants a preflight from an allowed origin for PUT with content-type', async () => {
    const res = await preflight('http://localhost:5173', 'PUT', 'content-type');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('refuses another origin, another method or another header with 403 and no grant', async () => {
    for (const res of [
      await preflight('https://evil.example', 'PUT', 'content-type'),
      await preflight('http://localhost:5173', 'DELETE'),
      await preflight('http://localhost:5173', 'PUT', 'content-type, x-amz-acl'),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessForbidden</Code>');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect((await preflight(undefined, 'PUT')).status).toBe(400);
  });

  it('puts the grant on an actual answer for an allowed origin only (even an error)', async () => {
    const url = `${s3.endpoint}/cors-test/tenants/t/doc/file.txt`;
    const allowed = await fetch(url, { headers: { origin: 'https://www.acme.example' } });
    expect(allowed.status).toBe(403); // unsigned
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://www.acme.example');
    const other = await fetch(url, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
