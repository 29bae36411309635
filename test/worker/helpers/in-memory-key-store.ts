// A KeyStore over keys already in memory (the provisioning registry's hashes), for tests and benches
// that exercise the edge chain without Postgres.
import type { KeyStore, StoredApiKey } from '../../../src/tenancy/key-store.ts';

export function inMemoryKeyStore(keys: Iterable<StoredApiKey>): KeyStore {
  const byId = new Map<string, StoredApiKey[]>();
  for (const key of keys) byId.set(key.keyId, [...(byId.get(key.keyId) ?? []), key]);
  return {
    async findByKeyId(keyId) {
      return byId.get(keyId) ?? [];
    },
  };
}
