// A fetch for the clients of outbound dependencies (the Neon HTTP driver, Pinecone, the object
// store): each call gets its time limit and the request's deadline (request-deadline-scope.ts), and
// the whole answer body is read inside that limit. Reading it here matters: a connection that stalls
// or drops halfway through the body would otherwise fail later, in the client's own JSON parsing,
// with an error none of the failure mappers knows as "the dependency is down", and a stalled body
// would outlive the timeout. Answers from these dependencies are small (JSON, or an uploaded file
// bounded by the tenant's maxUploadBytes), so holding one in memory is fine.
import { outboundSignal } from './request-deadline-scope.ts';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Thrown for a call that ran out of time or whose answer was cut off: always the dependency's fault. */
export class OutboundFailure extends Error {
  override name = 'OutboundFailure';
}

export function boundedFetch(timeoutMs: number, base: FetchLike = (input, init) => fetch(input, init)): FetchLike {
  return async (input, init) => {
    const signal = outboundSignal(timeoutMs, init?.signal ?? (input instanceof Request ? input.signal : undefined));
    try {
      const response = await base(input, { ...init, signal });
      const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      const failure = new OutboundFailure(
        signal.aborted
          ? `timed out after ${timeoutMs} ms or the request deadline passed`
          : `connection failed: ${String(error)}`,
      );
      failure.cause = error;
      throw failure;
    }
  };
}
