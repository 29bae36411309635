// Demo tenants' development credentials, derived deterministically from a seed that is public on
// purpose: `npm run dev` can print the same keys every time while configs/tenants/provisioning.json
// holds only their hashes. Anyone can recompute these keys, so a registry that still contains the
// demo tenants must never serve real traffic. Real keys come from mintApiKey().

import { OPERATOR_SCOPES, operatorKeyEntry, operatorKeyFrom } from '../src/operator/operator-keys.ts';
import {
  type ApiKeyKind,
  formatApiKey,
  KEY_ID_LENGTH,
  SECRET_LENGTH,
  storedHashOf,
} from '../src/tenancy/api-key-format.ts';
import { base32FromBytes, base62FromBytes } from '../src/tenancy/key-encoding.ts';

export const DEVELOPMENT_SEED = 'bulkhead-development-seed-PUBLIC-NOT-A-SECRET';

async function derive(purpose: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(DEVELOPMENT_SEED),
    { name: 'HMAC', hash: 'SHA-512' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(purpose)));
}

export interface DevApiKey {
  kind: ApiKeyKind;
  keyId: string;
  key: string;
  hash: string;
}

/** Development key `name` of `kind` for the demo tenant `slug`: same inputs, same key. */
export async function devApiKey(slug: string, kind: ApiKeyKind, name = 'default'): Promise<DevApiKey> {
  const keyId = base32FromBytes(await derive(`api-key-id:${kind}:${slug}:${name}`), KEY_ID_LENGTH);
  const secret = base62FromBytes(await derive(`api-key-secret:${kind}:${slug}:${name}`), SECRET_LENGTH);
  const key = formatApiKey(kind, keyId, secret);
  return { kind, keyId, key, hash: await storedHashOf(key) };
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): WebCrypto imports private keys only so.
const ED25519_PKCS8_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

export interface DevJwtKeys {
  privateKey: CryptoKey;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
}

/** A development Ed25519 signing key for end-user tokens of demo tenant `slug`. */
export async function devJwtKeys(slug: string): Promise<DevJwtKeys> {
  const seed = (await derive(`jwt-signing-key:${slug}`)).slice(0, 32);
  const pkcs8 = new Uint8Array([...ED25519_PKCS8_PREFIX, ...seed]);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  const jwk = (await crypto.subtle.exportKey('jwk', privateKey)) as JsonWebKey;
  const kid = `dev-${slug}`;
  return { privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, kid, alg: 'EdDSA', use: 'sig' } };
}

/**
 * Development operator keys (the operator API, src/routes/operator/): `operator` holds every
 * operator scope, `readonly` only tenants:read. Public like every key here: OPERATOR_KEYS in a
 * real deployment must come from `npm run operator:key`.
 */
export async function devOperatorKey(name: 'operator' | 'readonly'): Promise<string> {
  return operatorKeyFrom(await derive(`operator-key:${name}`));
}

/** OPERATOR_KEYS for the local stack (dev and test): both development operator keys. */
export async function devOperatorKeysSetting(): Promise<string> {
  return JSON.stringify([
    operatorKeyEntry('dev-operator', await devOperatorKey('operator'), OPERATOR_SCOPES),
    operatorKeyEntry('dev-readonly', await devOperatorKey('readonly'), ['tenants:read']),
  ]);
}
