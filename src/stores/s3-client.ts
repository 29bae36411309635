import { AwsClient } from 'aws4fetch';
import type { Settings } from '../config/settings.ts';

/** A SigV4 client for the object store (R2's S3 API in production, the local endpoint in development). */
export function s3Client(settings: Settings): AwsClient {
  return new AwsClient({
    accessKeyId: settings.S3_ACCESS_KEY_ID,
    secretAccessKey: settings.S3_SECRET_ACCESS_KEY,
    service: 's3',
    region: settings.S3_REGION,
    // aws4fetch retries a 5xx ten times by default, for tens of seconds; a request should get its
    // 503 quickly instead. The stores send through their own fetch and do not retry at all.
    retries: 1,
  });
}

/** Path-style bucket URL: works for R2, S3 and the local endpoint alike. */
export function bucketUrl(settings: Settings): string {
  return `${settings.S3_ENDPOINT.replace(/\/+$/, '')}/${settings.S3_BUCKET}`;
}
