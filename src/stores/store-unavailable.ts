// A side store that cannot be reached is a 503 with Retry-After, and nothing else: no store ever
// falls back to another key, namespace or prefix when its own is out of reach.
import { ApiError } from '../domain/api-error.ts';

export const STORE_RETRY_AFTER_SECONDS = '5';

export type SideStore = 'cache' | 'vector store' | 'object store';

export function storeUnavailable(store: SideStore, cause: unknown): ApiError {
  const error = new ApiError('unavailable', `The ${store} is unavailable; retry shortly.`, {
    'Retry-After': STORE_RETRY_AFTER_SECONDS,
  });
  error.cause = cause;
  return error;
}
