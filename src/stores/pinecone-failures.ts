// How the v9 Pinecone client reports failures, sorted into what the stores need to know: the
// service is down (→ 503), the thing is already gone (→ success for deletes), or anything else.
import { storeUnavailable } from './store-unavailable.ts';

// Connection failures, timeouts and 5xx answers, including a 5xx still failing after the client's retries.
const DOWN = new Set([
  'PineconeConnectionError',
  'PineconeRequestError',
  'PineconeTimeoutError',
  'PineconeInternalServerError',
  'PineconeUnavailableError',
  'PineconeMaxRetriesExceededError',
]);

function isDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { status?: unknown }).status;
  return DOWN.has(error.name) || (typeof status === 'number' && status >= 500);
}

export const isNotFound = (error: unknown) => error instanceof Error && error.name === 'PineconeNotFoundError';

/** Runs one Pinecone call; a dependency failure becomes ApiError('unavailable'), anything else passes through. */
export async function reachPinecone<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isDown(error) ? storeUnavailable('vector store', error) : error;
  }
}
