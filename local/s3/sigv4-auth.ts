// Reads the SigV4 parameters from wherever the client put them: the Authorization header,
// or the X-Amz-* query parameters of a presigned URL. Only syntax is checked here;
// sigv4.ts decides whether the request is genuine.

export interface Rejection {
  status: 400 | 403;
  code: string;
  message: string;
  /** Extra S3 error fields (CanonicalRequest, StringToSign…) that make a mismatch debuggable. */
  details?: Record<string, string>;
}

export interface SigV4Auth {
  presigned: boolean;
  accessKeyId: string;
  scope: { date: string; region: string; service: string; terminator: string };
  /** `YYYYMMDDTHHMMSSZ` as sent: it is part of the string to sign. */
  amzDate: string;
  signedAt: number;
  signedHeaders: string[];
  signature: string;
  /** Presigned only. */
  expiresSeconds?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const QUERY_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
];
const MAX_EXPIRES_SECONDS = 604_800;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const NEEDS_DATE = 'AWS authentication requires a valid Date or x-amz-date header';

export const reject = (status: 400 | 403, code: string, message: string): Rejection => ({ status, code, message });

export function readAuth(headers: Map<string, string>, query: URLSearchParams): SigV4Auth | Rejection {
  const header = headers.get('authorization');
  const presigned = QUERY_PARAMS.some((name) => query.has(name));
  if (header !== undefined && presigned) {
    return reject(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed: query parameters or the Authorization header',
    );
  }
  if (header !== undefined) return fromHeader(header, headers.get('x-amz-date'));
  if (presigned) return fromQuery(query);
  return reject(403, 'AccessDenied', 'Access Denied');
}

interface RawAuth {
  presigned: boolean;
  credential: string;
  amzDate: string;
  signedHeaders: string;
  signature: string;
  expiresSeconds?: number;
}

function fromHeader(header: string, amzDate: string | undefined): SigV4Auth | Rejection {
  const malformed = (message: string) => reject(400, 'AuthorizationHeaderMalformed', message);
  if (!header.startsWith(`${ALGORITHM} `)) return reject(400, 'InvalidArgument', 'Unsupported Authorization Type');
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    if (at < 0 || fields.has(name)) return malformed('The authorization header is malformed');
    fields.set(name, part.slice(at + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature || fields.size !== 3) {
    return malformed('The authorization header requires exactly Credential, SignedHeaders and Signature');
  }
  if (amzDate === undefined) return reject(403, 'AccessDenied', NEEDS_DATE);
  return assemble({ presigned: false, credential, amzDate, signedHeaders, signature }, malformed);
}

function fromQuery(query: URLSearchParams): SigV4Auth | Rejection {
  const malformed = (message: string) => reject(400, 'AuthorizationQueryParametersError', message);
  const values = QUERY_PARAMS.map((name) => query.getAll(name));
  if (values.some((all) => all.length !== 1 || all[0] === '')) {
    return malformed(`Query-string authentication version 4 requires exactly one each of ${QUERY_PARAMS.join(', ')}.`);
  }
  const get = (name: string) => query.get(`X-Amz-${name}`) ?? '';
  if (get('Algorithm') !== ALGORITHM) return malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const expiresSeconds = /^\d{1,7}$/.test(get('Expires')) ? Number(get('Expires')) : Number.NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_EXPIRES_SECONDS)) {
    return malformed(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}`);
  }
  const credential = get('Credential');
  const signature = get('Signature');
  const signed = { credential, amzDate: get('Date'), signedHeaders: get('SignedHeaders'), signature };
  return assemble({ ...signed, presigned: true, expiresSeconds }, malformed);
}

function assemble(raw: RawAuth, malformed: (message: string) => Rejection): SigV4Auth | Rejection {
  const parts = raw.credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(date)) {
    return malformed('The Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const signedAt = parseAmzDate(raw.amzDate);
  if (signedAt === undefined) {
    if (!raw.presigned) return reject(403, 'AccessDenied', NEEDS_DATE);
    return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const signedHeaders = raw.signedHeaders.split(';');
  // A correct signer lists headers lowercased and sorted; anything else was not made by one.
  const sorted = signedHeaders.every(
    (name, i) => HEADER_NAME.test(name) && (i === 0 || `${signedHeaders[i - 1]}` < name),
  );
  if (!sorted) return malformed('SignedHeaders must be lowercase header names, sorted, separated by ";"');
  const { presigned, amzDate, signature, expiresSeconds } = raw;
  const scope = { date, region, service, terminator };
  return { presigned, accessKeyId, scope, amzDate, signedAt, signedHeaders, signature, expiresSeconds };
}

function parseAmzDate(value: string): number | undefined {
  if (!/^\d{8}T\d{6}Z$/.test(value)) return undefined;
  const time = Date.parse(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  // Date.parse accepts 20130231 as 3 March: a date that does not round-trip was not a real date.
  return Number.isNaN(time) || new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, '') !== value ? undefined : time;
}
