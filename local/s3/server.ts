// A local S3-compatible endpoint (path-style, one bucket) that verifies every SigV4 signature,
// so presigned URLs made by the app are tested for real: s3rver and friends accept anything.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FaultRules, handleFaultControl, httpFaultHook } from '../faults.ts';
import { freePort } from '../ports.ts';
import { type CorsRule, corsHeaders, corsPreflight, loadBucketCors } from './cors.ts';
import { directoryStore, memoryStore } from './object-store.ts';
import { performS3Call, type S3Reply } from './operations.ts';
import { decodeS3Path, verifySigV4 } from './sigv4.ts';
import { errorXml, S3Error } from './xml.ts';

export interface LocalS3Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** if set, this key may only touch keys starting with it (mirrors an IAM policy / R2 bucket-scoped token); otherwise 403 AccessDenied */
  allowedPrefix?: string;
}

export interface LocalS3Options {
  bucket: string;
  region: string;
  credentials: LocalS3Credential[];
  /** persist objects under this directory; in memory when absent */
  dataDir?: string;
  port?: number;
  /** The bucket's CORS rules (local/s3/cors.ts); deployment/r2-cors.json when absent. */
  cors?: readonly CorsRule[];
  /** Serve `/__faults` (local/faults.ts): the local stack's dev and test modes only. */
  faultControl?: boolean;
}

export interface LocalS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  bucket: string;
  region: string;
  requests(): number;
  /** Injected faults; set over HTTP at `/__faults` when started with faultControl. */
  faults: FaultRules;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const { bucket, region } = options;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`invalid S3 bucket name: ${bucket}`);
  if (!region) throw new Error('region is required');
  const credentials = new Map(options.credentials.map((credential) => [credential.accessKeyId, credential]));
  if (credentials.size === 0 || credentials.size !== options.credentials.length)
    throw new Error('credentials must be non-empty with unique access key ids');
  const store = options.dataDir ? await directoryStore(options.dataDir) : memoryStore();
  const cors = options.cors ?? (await loadBucketCors());
  let requests = 0;
  const faults = new FaultRules();
  const faultHook = httpFaultHook(faults, {
    errorBody: (status) => ({
      contentType: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${status === 503 ? 'SlowDown' : 'InternalError'}</Code><Message>injected fault: HTTP ${status}</Message></Error>`,
    }),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const target = req.url ?? '/';
    const rawPath = target.split('?')[0] as string;
    try {
      const method = req.method ?? 'GET';
      const body = await readBody(req);
      if ((await faultHook(req, res, body)) === 'answered') return;
      const headers = headerMap(req.rawHeaders);
      // Bucket CORS, as R2 applies it: preflights are unauthenticated; grants go on every answer.
      for (const [name, value] of Object.entries(corsHeaders(cors, method, headers.get('origin'))))
        res.setHeader(name, value);
      if (method === 'OPTIONS') return send(res, requestId, corsPreflight(cors, headers, rawPath));
      const verdict = verifySigV4(
        { method, target, headers, body },
        { region, secretFor: (id) => credentials.get(id)?.secretAccessKey },
      );
      if (!verdict.ok) throw new S3Error(verdict.status, verdict.code, verdict.message, verdict.details);
      const path = decodeS3Path(rawPath) as string; // the verifier has already refused undecodable paths
      const query = new URLSearchParams(target.slice(rawPath.length + 1));
      const allowedPrefix = credentials.get(verdict.accessKeyId)?.allowedPrefix;
      send(res, requestId, await performS3Call(store, bucket, { method, path, query, headers, body, allowedPrefix }));
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (s3Error.status === 500) console.error('local S3:', error);
      send(res, requestId, {
        status: s3Error.status,
        headers: { 'content-type': 'application/xml' },
        body: errorXml(s3Error, rawPath, requestId),
      });
    }
  }

  const server = createServer(async (req, res) => {
    if (options.faultControl && (await handleFaultControl(faults, req, res))) return;
    await handle(req, res);
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    requests: () => requests,
    faults,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The whole body: a hex x-amz-content-sha256 can only be checked once every byte has arrived. */
async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES)
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size of the local S3');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Lowercase names, repeats joined with ',' as SigV4 canonicalises them. A Map, so '__proto__' is just a name. */
function headerMap(rawHeaders: string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return headers;
}

function send(res: ServerResponse, requestId: string, reply: S3Reply): void {
  try {
    res.writeHead(reply.status, { ...reply.headers, 'x-amz-request-id': requestId });
  } catch {
    // A response-* override carrying characters no HTTP header may hold.
    const message = errorXml(
      new S3Error(400, 'InvalidArgument', 'Header value contains invalid characters'),
      '',
      requestId,
    );
    res.writeHead(400, { 'content-type': 'application/xml', 'x-amz-request-id': requestId }).end(message);
    return;
  }
  res.end(reply.body);
}
