// The verifier against AWS's own published examples: if these pass, a signature our
// local S3 accepts is one real S3 would accept too (and the reverse).
import { describe, expect, it } from 'vitest';
import { type SignedRequest, verifySigV4 } from '../../../local/s3/sigv4.ts';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const HOST = 'examplebucket.s3.amazonaws.com';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNED_AT = new Date('2013-05-24T00:00:00Z');
const SCOPE = `${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request`;

const verify = (request: SignedRequest, at: Date = SIGNED_AT, secret = SECRET) =>
  verifySigV4(request, {
    region: 'us-east-1',
    secretFor: (id) => (id === ACCESS_KEY ? secret : undefined),
    now: () => at,
  });

describe('presigned URL (AWS "Authenticating Requests: Using Query Parameters" example)', () => {
  const signature = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  const target = (sig: string) =>
    `/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(SCOPE)}` +
    `&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=${sig}`;
  const request = (sig = signature, method = 'GET'): SignedRequest => ({
    method,
    target: target(sig),
    headers: new Map([['host', HOST]]),
  });

  it('accepts the published signature at the signing time and at the last valid second', () => {
    expect(verify(request())).toEqual({ ok: true, accessKeyId: ACCESS_KEY });
    expect(verify(request(), new Date('2013-05-25T00:00:00Z')).ok).toBe(true);
  });

  it('refuses it one second after expiry', () => {
    expect(verify(request(), new Date('2013-05-25T00:00:01Z'))).toMatchObject({
      ok: false,
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('refuses it with one character of the signature changed', () => {
    const tampered = `${signature.slice(0, -1)}5`;
    expect(verify(request(tampered))).toMatchObject({ ok: false, status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('refuses it under another method, another host, another secret or an unknown key id', () => {
    expect(verify(request(signature, 'PUT'))).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(verify({ ...request(), headers: new Map([['host', 'otherbucket.s3.amazonaws.com']]) })).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(verify(request(), SIGNED_AT, `${SECRET}x`)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(
      verify({ ...request(), target: target(signature).replace('AKIAIOSFODNN7EXAMPLE', 'AKIAOTHER') }),
    ).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
  });

  it('refuses an out-of-range X-Amz-Expires and a region it does not serve', () => {
    const withExpires = (value: string) => ({
      ...request(),
      target: target(signature).replace('X-Amz-Expires=86400', `X-Amz-Expires=${value}`),
    });
    expect(verify(withExpires('604801'))).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    expect(verify(withExpires('0'))).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    const elsewhere = verifySigV4(request(), { region: 'eu-west-1', secretFor: () => SECRET, now: () => SIGNED_AT });
    expect(elsewhere).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
  });
});

describe('Authorization header (AWS "Signature Calculations for the Authorization Header" examples)', () => {
  /** One of AWS's documented requests: host, x-amz-date and the Authorization header added as published. */
  const documented = (request: {
    method: string;
    target: string;
    headers: Record<string, string>;
    signature: string;
  }) => {
    const headers = new Map(Object.entries({ host: HOST, 'x-amz-date': '20130524T000000Z', ...request.headers }));
    const signedHeaders = [...headers.keys()].sort().join(';');
    const credential = `Credential=${SCOPE},SignedHeaders=${signedHeaders},Signature=${request.signature}`;
    headers.set('authorization', `AWS4-HMAC-SHA256 ${credential}`);
    return { method: request.method, target: request.target, headers } satisfies SignedRequest;
  };
  const getObject = () =>
    documented({
      method: 'GET',
      target: '/test.txt',
      headers: { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256 },
      signature: 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    });

  it('accepts the GET Object example and refuses it with a different signed Range', () => {
    expect(verify(getObject()).ok).toBe(true);
    const otherRange = getObject();
    otherRange.headers.set('range', 'bytes=0-99');
    expect(verify(otherRange)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses the GET Object example more than 15 minutes away from its X-Amz-Date', () => {
    expect(verify(getObject(), new Date('2013-05-24T00:15:00Z')).ok).toBe(true);
    const late = verify(getObject(), new Date('2013-05-24T00:15:01Z'));
    expect(late).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('accepts the PUT Object example and refuses it when the body is not the signed one', () => {
    const putObject = documented({
      method: 'PUT',
      target: '/test%24file.text',
      headers: {
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      },
      signature: '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    });
    const body = (text: string) => ({ ...putObject, body: new TextEncoder().encode(text) });
    expect(verify(body('Welcome to Amazon S3.')).ok).toBe(true);
    expect(verify(body('Welcome to Amazon S4.'))).toMatchObject({ status: 400, code: 'XAmzContentSHA256Mismatch' });
  });

  it('accepts the GET Bucket (List Objects) example, whose query must be canonicalised', () => {
    const listObjects = documented({
      method: 'GET',
      target: '/?max-keys=2&prefix=J',
      headers: { 'x-amz-content-sha256': EMPTY_SHA256 },
      signature: '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    });
    expect(verify(listObjects).ok).toBe(true);
    expect(verify({ ...listObjects, target: '/?prefix=J&max-keys=2' }).ok).toBe(true);
    expect(verify({ ...listObjects, target: '/?max-keys=3&prefix=J' })).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses an unsigned x-amz-* header and a request that signs no host', () => {
    const extra = getObject();
    extra.headers.set('x-amz-acl', 'public-read');
    expect(verify(extra)).toMatchObject({ status: 403, code: 'AccessDenied' });
    const noHost = getObject();
    noHost.headers.set(
      'authorization',
      `${noHost.headers.get('authorization')}`.replace('SignedHeaders=host;', 'SignedHeaders='),
    );
    expect(verify(noHost)).toMatchObject({ status: 400, code: 'AuthorizationHeaderMalformed' });
  });

  it('refuses a request with no credentials at all', () => {
    const anonymous = verify({ method: 'GET', target: '/test.txt', headers: new Map([['host', HOST]]) });
    expect(anonymous).toMatchObject({ status: 403, code: 'AccessDenied' });
  });
});
