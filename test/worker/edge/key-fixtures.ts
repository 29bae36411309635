// API keys for the key-cache tests: minted fresh for each test and written to Postgres as the owner
// (never through code under test), so no two tests share a key id or a KV entry; and a KeyStore
// wrapper that records each lookup, to tell a cache answer from a database answer.
import { httpSql } from '../../../src/db/neon-client.ts';
import { type ApiKeyKind, mintApiKey } from '../../../src/tenancy/api-key-format.ts';
import type { KeyStore } from '../../../src/tenancy/key-store.ts';
import { adminSettings } from '../helpers/settings.ts';

const admin = () => httpSql(adminSettings());
const inserted: string[] = [];

/** A new live key of `tenantId` in `api_keys`, every scope, all projects. */
export async function insertKey(tenantId: string, kind: ApiKeyKind = 'secret') {
  const minted = await mintApiKey(kind);
  const scopes = kind === 'secret' ? ['chat', 'retrieval', 'documents:read'] : ['chat'];
  await admin()`insert into api_keys (tenant_id, lookup_id, secret_hash, kind, scopes, all_projects, label)
    values (${tenantId}, ${minted.keyId}, ${minted.hash}, ${kind}, ${scopes}, true, 'key-cache test')`;
  inserted.push(minted.keyId);
  return { key: minted.key, keyId: minted.keyId };
}

export async function revokeKey(keyId: string) {
  await admin()`update api_keys set revoked_at = now() where lookup_id = ${keyId}`;
}

/** For afterAll: the keys this file inserted, and nothing else. */
export async function removeInsertedKeys() {
  if (inserted.length > 0) await admin()`delete from api_keys where lookup_id = any(${inserted.splice(0)})`;
}

export function countingKeyStore(inner: KeyStore) {
  const calls: string[] = [];
  const store: KeyStore = {
    findByKeyId: (keyId, settings) => {
      calls.push(keyId);
      return inner.findByKeyId(keyId, settings);
    },
  };
  return { store, calls };
}
