// The legacy bucket, listed a page at a time under the pattern's fixed prefix, and each key
// matched to its row the same way vectors are: the {document} row must exist and its owner must
// be the key's {owner}. The file name must be one Bulkhead stores (sanitiseFilename); the new key
// is built by src/tenancy/storage-names.ts like every other object key.
import { parseListObjectsV2 } from '../../src/stores/s3-list-result.ts';
import { toTenantId } from '../../src/tenancy/context.ts';
import { documentObjectKey } from '../../src/tenancy/storage-names.ts';
import type { Bucket, SourceDb } from './connections.ts';
import { ownersOfKeys, tableNamed } from './legacy-rows.ts';
import type { OwnerResolver, TargetTenant } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { documentIdOf } from './stable-ids.ts';

export type ObjectPlacement =
  | { placed: true; key: string; tenant: TargetTenant; documentId: string; targetKey: string }
  | { placed: false; key: string; why: 'pattern' | 'no-document' | 'owner-mismatch' | 'owner-refused' | 'file-name' };

interface KeyParts {
  owner: string;
  document: string;
  name: string;
}

/** Parses keys of a pattern like `documents/{owner}/{document}/{name}`; undefined when one does not fit. */
export function keyPattern(pattern: string): { prefix: string; parse(key: string): KeyParts | undefined } {
  const prefix = pattern.slice(0, pattern.indexOf('{'));
  const order: Array<keyof KeyParts> = [];
  const source = pattern.replace(/\{(owner|document|name)\}|[.*+?^${}()|[\]\\]/g, (match, name?: keyof KeyParts) => {
    if (!name) return `\\${match}`;
    order.push(name);
    return name === 'name' ? '(.+)' : '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return {
    prefix,
    parse(key) {
      const match = regex.exec(key);
      if (!match) return undefined;
      const parts = Object.fromEntries(order.map((name, i) => [name, match[i + 1] as string]));
      return parts as unknown as KeyParts;
    },
  };
}

export async function* legacyObjectPages(bucket: Bucket, prefix: string): AsyncGenerator<string[]> {
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ 'list-type': '2', prefix, 'max-keys': '1000' });
    if (token) query.set('continuation-token', token);
    const response = await bucket.client.fetch(`${bucket.url}?${query}`);
    if (!response.ok) throw new Error(`listing the legacy bucket failed: ${response.status} ${await response.text()}`);
    const page = parseListObjectsV2(await response.text());
    yield page.keys;
    token = page.nextContinuationToken;
  } while (token);
}

export async function placeObjects(
  db: SourceDb,
  plan: Plan,
  resolve: OwnerResolver,
  keys: string[],
): Promise<ObjectPlacement[]> {
  const source = plan.source.objects;
  if (!source) return [];
  const table = tableNamed(plan, source.table);
  const pattern = keyPattern(source.pattern);
  const parsed = keys.map((key) => ({ key, parts: pattern.parse(key) }));
  const owners = await ownersOfKeys(db, table, [
    ...new Set(parsed.flatMap((p) => (p.parts ? [p.parts.document] : []))),
  ]);
  return parsed.map(({ key, parts }): ObjectPlacement => {
    if (!parts) return { placed: false, key, why: 'pattern' };
    if (!owners.has(parts.document)) return { placed: false, key, why: 'no-document' };
    const rowOwner = owners.get(parts.document) ?? null;
    if (rowOwner !== parts.owner) return { placed: false, key, why: 'owner-mismatch' };
    const verdict = resolve(rowOwner);
    if (!('tenant' in verdict)) return { placed: false, key, why: 'owner-refused' };
    const documentId = documentIdOf(plan.id, table.name, parts.document);
    try {
      const targetKey = documentObjectKey(
        { tenantId: toTenantId(verdict.tenant.id) },
        { projectId: verdict.tenant.projectId, id: documentId },
        parts.name,
      );
      return { placed: true, key, tenant: verdict.tenant, documentId, targetKey };
    } catch {
      return { placed: false, key, why: 'file-name' };
    }
  });
}
