// Starts a local S3 for a test file and signs requests to it with aws4fetch, the Worker's client.
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../../local/s3/server.ts';

export const BUCKET = 'bulkhead-test';
export const REGION = 'auto';
export const ADMIN = { accessKeyId: 'local-admin', secretAccessKey: 'admin-secret' };
export const TENANT_A = {
  accessKeyId: 'local-tenant-a',
  secretAccessKey: 'tenant-a-secret',
  allowedPrefix: 'tenants/a/',
};

export const client = (credential: { accessKeyId: string; secretAccessKey: string }) =>
  new AwsClient({ ...credential, service: 's3', region: REGION, retries: 0 });
export const admin = client(ADMIN);

/** One in-memory server per test file, reached through the returned getter once beforeAll has run. */
export function useLocalS3(): () => LocalS3 {
  let s3: LocalS3 | undefined;
  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: BUCKET, region: REGION, credentials: [ADMIN, TENANT_A] });
  });
  afterAll(() => s3?.close());
  return () => {
    if (!s3) throw new Error('useLocalS3: the server is not started yet');
    return s3;
  };
}

/** Path-style object URL; each key segment percent-encoded as the app's key builder does. */
export const objectUrl = (endpoint: string, key: string, query = '') =>
  `${endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}${query}`;

/** A presigned URL with an explicit expiry (aws4fetch would default to a day), as the app makes them. */
export async function presign(
  method: string,
  url: string,
  options: { expires?: number; headers?: Record<string, string>; datetime?: string } = {},
): Promise<string> {
  const withExpiry = new URL(url);
  withExpiry.searchParams.set('X-Amz-Expires', String(options.expires ?? 60));
  const signed = await admin.sign(withExpiry.toString(), {
    method,
    headers: options.headers,
    aws: { signQuery: true, allHeaders: true, datetime: options.datetime },
  });
  return signed.url;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => `${ENTITIES[name]}`);

export const tags = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => unescapeXml(`${match[1]}`));
export const tag = (xml: string, name: string): string | undefined => tags(xml, name)[0];

/** Status and S3 error `<Code>` of a response, the pair every failure test asserts. */
export async function statusAndCode(response: Response): Promise<[number, string | undefined]> {
  return [response.status, tag(await response.text(), 'Code')];
}
