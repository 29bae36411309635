// Pinecone's vector plane answers failures with a google.rpc.Status body, `{code, message, details}`,
// `code` being the gRPC code. The v9 client ignores `code`: it maps the HTTP status to its typed errors
// (400/403 → PineconeBadRequestError, 401 → PineconeAuthorizationError, 404 → PineconeNotFoundError,
// 405 → PineconeMethodNotAllowedError) and reads `message` for the ones that show it. It retries
// every 5xx, so nothing here answers 5xx for a request it merely does not support.

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;
const UNAUTHENTICATED = 16;

export class PineconeApiError extends Error {
  readonly status: number;
  readonly grpcCode: number;

  constructor(status: number, grpcCode: number, message: string) {
    super(message);
    this.name = 'PineconeApiError';
    this.status = status;
    this.grpcCode = grpcCode;
  }

  toJSON(): { code: number; message: string; details: unknown[] } {
    return { code: this.grpcCode, message: this.message, details: [] };
  }
}

export const badRequest = (message: string) => new PineconeApiError(400, INVALID_ARGUMENT, message);
export const notFound = (message: string) => new PineconeApiError(404, NOT_FOUND, message);
export const unauthenticated = () => new PineconeApiError(401, UNAUTHENTICATED, 'Invalid API Key');
export const notServed = (message: string) => new PineconeApiError(405, UNIMPLEMENTED, message);
