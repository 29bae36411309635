// The operator API's credential check (docs/threat-model.md T56): `Authorization: Bearer op_…`
// verified against the OPERATOR_KEYS hashes (src/operator/operator-keys.ts), nothing else. Tenant
// credentials (pk_/sk_ keys, user JWTs, x-tenant-id) are not read here at all, so none of them opens
// an operator route; an operator key on a tenant route is an unparseable API key there (401).
// Without OPERATOR_KEYS the operator API does not exist (404), so a deployment opts in. Failures
// are one structured log line each (no key material): there is no tenant to audit them under.
import { createMiddleware } from 'hono/factory';
import { ApiError, notFound } from '../domain/api-error.ts';
import {
  configuredOperatorKeys,
  OperatorKeysError,
  type OperatorScope,
  verifyOperatorKey,
} from '../operator/operator-keys.ts';
import type { AppEnv } from './app-env.ts';
import { invalidCredentials } from './credentials.ts';

export const operatorAuth = () =>
  createMiddleware<AppEnv>(async function operatorAuth(c, next) {
    const setting = c.get('settings').OPERATOR_KEYS;
    if (setting === undefined) throw notFound();
    let keys: ReturnType<typeof configuredOperatorKeys>;
    try {
      keys = configuredOperatorKeys(setting);
    } catch (error) {
      if (!(error instanceof OperatorKeysError)) throw error;
      console.error(JSON.stringify({ level: 'error', event: 'operator.misconfigured', error: error.message }));
      throw new ApiError('misconfigured', 'The operator API is misconfigured');
    }
    const token = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const operator = token === undefined ? undefined : verifyOperatorKey(token, keys);
    if (!operator) {
      console.log(JSON.stringify({ level: 'warn', event: 'operator.denied', requestId: c.get('requestId') }));
      throw invalidCredentials();
    }
    c.set('operator', operator);
    await next();
  });

export const requireOperatorScope = (scope: OperatorScope) =>
  createMiddleware<AppEnv>(async function requireOperatorScope(c, next) {
    const operator = c.get('operator');
    if (!operator.scopes.has(scope)) {
      console.log(
        JSON.stringify({
          level: 'warn',
          event: 'operator.denied',
          operator: operator.id,
          scope,
          requestId: c.get('requestId'),
        }),
      );
      throw new ApiError('forbidden', `This operator key lacks the ${scope} scope`);
    }
    await next();
  });
