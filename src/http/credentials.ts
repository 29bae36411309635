// What a request presents as credentials, read from headers only. Syntax, not validity: the
// resolver verifies. The development header is not even read unless the caller allows it.
import { ApiError } from '../domain/api-error.ts';

export interface PresentedCredentials {
  /** From `x-api-key`, or a dot-free `Authorization: Bearer` token. */
  apiKey?: string;
  /** A compact JWT from `Authorization: Bearer` (it has dots; API keys never do). */
  userToken?: string;
  /** `x-tenant-id`, present only when the development header is allowed. */
  tenantHeader?: string;
}

/** The one answer for every credential that fails, so failures cannot be told apart. */
export const invalidCredentials = () =>
  new ApiError('unauthorized', 'Missing or invalid credentials', { 'WWW-Authenticate': 'Bearer' });

export function readCredentials(headers: Headers, allowDevelopmentHeader: boolean): PresentedCredentials {
  const presented: PresentedCredentials = {};
  const apiKeyHeader = headers.get('x-api-key');
  if (apiKeyHeader !== null) presented.apiKey = apiKeyHeader.trim();

  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer[ ]+(\S*)\s*$/i.exec(authorization);
    const token = match?.[1];
    if (!token) throw invalidCredentials();
    if (token.includes('.')) {
      presented.userToken = token;
    } else {
      if (presented.apiKey !== undefined) throw new ApiError('bad_request', 'Send one API key, not two');
      presented.apiKey = token;
    }
  }

  if (allowDevelopmentHeader) {
    const tenantHeader = headers.get('x-tenant-id');
    if (tenantHeader !== null) presented.tenantHeader = tenantHeader.trim();
  }
  return presented;
}
