// The XML bodies S3 answers with: the error envelope and the ListObjectsV2 result.

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An S3 error answer; thrown anywhere below the server and rendered once there. */
export class S3Error extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;

  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorXml(error: S3Error, resource: string, requestId: string): string {
  const fields = {
    Code: error.code,
    Message: error.message,
    ...error.details,
    Resource: resource,
    RequestId: requestId,
  };
  return `${DECLARATION}<Error>${elements(fields)}</Error>`;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
  etag: string;
  size: number;
}

export interface ListResult {
  bucket: string;
  prefix: string;
  maxKeys: number;
  objects: ListedObject[];
  isTruncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
  startAfter?: string;
  /** `url` when the client asked for encoding-type=url (keys then travel percent-encoded). */
  encodingType?: string;
}

export function listObjectsV2Xml(result: ListResult): string {
  const encode =
    result.encodingType === 'url'
      ? (value: string) => encodeURIComponent(value).replace(/%2F/g, '/')
      : (value: string) => value;
  const head = elements({
    Name: result.bucket,
    Prefix: encode(result.prefix),
    KeyCount: String(result.objects.length),
    MaxKeys: String(result.maxKeys),
    IsTruncated: String(result.isTruncated),
    ContinuationToken: result.continuationToken,
    NextContinuationToken: result.nextContinuationToken,
    StartAfter: result.startAfter === undefined ? undefined : encode(result.startAfter),
    EncodingType: result.encodingType,
  });
  const contents = result.objects.map((object) => {
    const fields = {
      Key: encode(object.key),
      LastModified: object.lastModified.toISOString(),
      ETag: `"${object.etag}"`,
      Size: String(object.size),
      StorageClass: 'STANDARD',
    };
    return `<Contents>${elements(fields)}</Contents>`;
  });
  return `${DECLARATION}<ListBucketResult xmlns="${NAMESPACE}">${head}${contents.join('')}</ListBucketResult>`;
}

function elements(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
