// Operator credentials: the platform team's keys for the operator API, never a tenant's. A key is
// `op_` + 43 base62 characters (≈256 bits), so a plain SHA-256 is a safe stored hash; the Worker
// holds only hashes, in the OPERATOR_KEYS secret:
//   [{"id": "ops-alice", "hash": "sha256:…", "scopes": ["tenants:read", "tenants:write", "platform:write"]}]
// A tenant key (pk_/sk_) or user JWT never parses as one, and an operator key never parses as a
// tenant credential (src/http/credentials.ts), so neither side can be used on the other.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { digestsEqual } from '../tenancy/api-key-verifier.ts';
import { base62FromBytes, base64UrlFromBytes, bytesFromBase64Url } from '../tenancy/key-encoding.ts';

export const OPERATOR_SCOPES = ['tenants:read', 'tenants:write', 'platform:write'] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

const OPERATOR_KEY = /^op_[0-9A-Za-z]{43}$/;

const OperatorKeysSchema = z
  .array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a short lower-case name'),
      hash: z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/, 'must be sha256: followed by a base64url digest'),
      scopes: z.array(z.enum(OPERATOR_SCOPES)).min(1),
    }),
  )
  .min(1);

export interface OperatorPrincipal {
  id: string;
  scopes: ReadonlySet<OperatorScope>;
}

interface ConfiguredKey {
  id: string;
  digest: Uint8Array;
  scopes: ReadonlySet<OperatorScope>;
}

export class OperatorKeysError extends Error {
  override name = 'OperatorKeysError';
}

const parsed = new Map<string, ConfiguredKey[]>();

/** OPERATOR_KEYS parsed (once per value); throws OperatorKeysError naming the bad field. */
export function configuredOperatorKeys(setting: string): ConfiguredKey[] {
  const cached = parsed.get(setting);
  if (cached) return cached;
  let document: unknown;
  try {
    document = JSON.parse(setting);
  } catch {
    throw new OperatorKeysError('OPERATOR_KEYS is not JSON');
  }
  const result = OperatorKeysSchema.safeParse(document);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new OperatorKeysError(`OPERATOR_KEYS: invalid ${[...new Set(fields)].join(', ')}`);
  }
  const keys = result.data.map((key) => ({
    id: key.id,
    digest: bytesFromBase64Url(key.hash.slice('sha256:'.length)),
    scopes: new Set(key.scopes),
  }));
  parsed.set(setting, keys);
  return keys;
}

export const looksLikeOperatorKey = (presented: string): boolean => presented.startsWith('op_');

/** The operator a presented key belongs to, or undefined. Every configured hash is compared. */
export function verifyOperatorKey(presented: string, keys: readonly ConfiguredKey[]): OperatorPrincipal | undefined {
  if (!OPERATOR_KEY.test(presented)) return undefined;
  const digest = new Uint8Array(createHash('sha256').update(presented, 'utf8').digest());
  let match: ConfiguredKey | undefined;
  // No early exit: the time taken does not say which entry (or whether any) matched.
  for (const key of keys) if (digestsEqual(digest, key.digest) && !match) match = key;
  return match && { id: match.id, scopes: match.scopes };
}

/** A new operator key and the OPERATOR_KEYS entry for it (scripts/operator-key.ts). */
export function mintOperatorKey(id: string, scopes: readonly OperatorScope[]) {
  const key = operatorKeyFrom(crypto.getRandomValues(new Uint8Array(64)));
  return { key, entry: operatorKeyEntry(id, key, scopes) };
}

/** `op_` + 43 base62 characters from random (or, for development, derived) bytes. */
export function operatorKeyFrom(bytes: Uint8Array): string {
  return `op_${base62FromBytes(bytes, 43)}`;
}

/** The entry for a key made elsewhere (the development operator key, local/dev-keys.ts). */
export function operatorKeyEntry(id: string, key: string, scopes: readonly OperatorScope[]) {
  const hash = `sha256:${base64UrlFromBytes(new Uint8Array(createHash('sha256').update(key, 'utf8').digest()))}`;
  return { id, hash, scopes: [...scopes] };
}
