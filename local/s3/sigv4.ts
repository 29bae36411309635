// AWS Signature Version 4 verification for S3, header-signed and presigned, the way S3 does it.
// Pure (node:crypto, injectable clock) so AWS's published vectors can be replayed exactly.
import { timingSafeEqual } from 'node:crypto';
import { type Rejection, readAuth, reject, type SigV4Auth } from './sigv4-auth.ts';
import { sha256Hex, sign } from './sigv4-canonical.ts';

export type { Rejection } from './sigv4-auth.ts';
export { decodeS3Path } from './sigv4-canonical.ts';

export interface SignedRequest {
  method: string;
  /** The request target exactly as received: raw path plus raw query. */
  target: string;
  /** Lowercase names; repeated headers joined with ','. */
  headers: Map<string, string>;
  body?: Uint8Array;
}

export interface VerifyOptions {
  region: string;
  secretFor(accessKeyId: string): string | undefined;
  now?: () => Date;
}

export type Verdict = { ok: true; accessKeyId: string } | ({ ok: false } & Rejection);

const MAX_SKEW_MS = 15 * 60_000;
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const MISMATCH = 'The request signature we calculated does not match the signature you provided.';

export function verifySigV4(request: SignedRequest, options: VerifyOptions): Verdict {
  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt < 0 ? request.target : request.target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : request.target.slice(queryAt + 1));
  const auth = readAuth(request.headers, query);
  if (!('presigned' in auth)) return fail(auth);
  const secret = options.secretFor(auth.accessKeyId);
  if (secret === undefined) {
    return fail(reject(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'));
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  const problem = checkScope(auth, options.region) ?? checkTime(auth, now) ?? checkHeaders(auth, request.headers);
  if (problem) return fail(problem);
  const payloadHash = claimedPayloadHash(auth, request.headers);
  if (typeof payloadHash !== 'string') return fail(payloadHash);

  const { method, headers } = request;
  const signing = sign({ ...auth, method, rawPath, query, headers, payloadHash, secret });
  if (!signing) return fail(reject(400, 'InvalidURI', "Couldn't parse the specified URI."));
  if (!sameSignature(signing.signature, auth.signature)) {
    const { canonicalRequest, stringToSign } = signing;
    const details = { AWSAccessKeyId: auth.accessKeyId, StringToSign: stringToSign, SignatureProvided: auth.signature };
    return fail({
      ...reject(403, 'SignatureDoesNotMatch', `${MISMATCH} Check your key and signing method.`),
      details: { ...details, CanonicalRequest: canonicalRequest },
    });
  }
  // Only now is the claimed hash known to be the signer's: compare it with the bytes that arrived.
  if (HEX_SHA256.test(payloadHash) && sha256Hex(request.body ?? new Uint8Array()) !== payloadHash) {
    return fail(
      reject(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      ),
    );
  }
  return { ok: true, accessKeyId: auth.accessKeyId };
}

function checkScope(auth: SigV4Auth, region: string): Rejection | undefined {
  const { date, service, terminator } = auth.scope;
  if (date !== auth.amzDate.slice(0, 8))
    return malformed(auth, 'Invalid credential date. Date is not the same as X-Amz-Date.');
  if (auth.scope.region !== region)
    return malformed(auth, `the region '${auth.scope.region}' is wrong; expecting '${region}'`);
  if (service !== 's3') return malformed(auth, `incorrect service '${service}'. This endpoint belongs to 's3'.`);
  if (terminator !== 'aws4_request')
    return malformed(auth, `incorrect terminal '${terminator}'. This endpoint uses 'aws4_request'.`);
  return undefined;
}

function checkTime(auth: SigV4Auth, now: number): Rejection | undefined {
  if (!auth.presigned) {
    if (Math.abs(now - auth.signedAt) <= MAX_SKEW_MS) return undefined;
    return reject(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  if (now > auth.signedAt + (auth.expiresSeconds as number) * 1000)
    return reject(403, 'AccessDenied', 'Request has expired');
  if (auth.signedAt - now > MAX_SKEW_MS) return reject(403, 'AccessDenied', 'Request is not valid yet');
  return undefined;
}

function checkHeaders(auth: SigV4Auth, headers: Map<string, string>): Rejection | undefined {
  if (!auth.signedHeaders.includes('host')) return malformed(auth, 'the host header must be signed');
  const missing = auth.signedHeaders.find((name) => !headers.has(name));
  if (missing) return reject(403, 'SignatureDoesNotMatch', `${MISMATCH} Signed header '${missing}' is absent.`);
  // An unsigned x-amz-* header could change what the request does without breaking the signature.
  const unsigned = [...headers.keys()].find((name) => name.startsWith('x-amz-') && !auth.signedHeaders.includes(name));
  if (unsigned)
    return reject(403, 'AccessDenied', `There were headers present in the request which were not signed: ${unsigned}`);
  return undefined;
}

function claimedPayloadHash(auth: SigV4Auth, headers: Map<string, string>): string | Rejection {
  // A presigned URL covers no body unless its signer pinned one by signing x-amz-content-sha256.
  if (auth.presigned && !auth.signedHeaders.includes('x-amz-content-sha256')) return UNSIGNED;
  const claimed = headers.get('x-amz-content-sha256');
  if (claimed === undefined)
    return reject(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (claimed === UNSIGNED || HEX_SHA256.test(claimed)) return claimed;
  return reject(
    400,
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a hex SHA-256 (no streaming uploads here)',
  );
}

function malformed(auth: SigV4Auth, problem: string): Rejection {
  if (auth.presigned)
    return reject(400, 'AuthorizationQueryParametersError', `The query-string authorization is malformed; ${problem}`);
  return reject(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${problem}`);
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const fail = (rejection: Rejection): Verdict => ({ ok: false, ...rejection });
