// Validation: after every apply and on its own (--validate-only). Source against target per tenant
// and per table (validate-rows.ts), vectors per namespace and objects with checksums
// (validate-stores.ts), and the purged cache keys. Any mismatch fails the run.
import type { Index } from '@pinecone-database/pinecone';
import type pg from 'pg';
import type { Bucket, SourceDb } from './connections.ts';
import type { CacheNamespace } from './legacy-cache.ts';
import { keyPattern, legacyObjectPages, placeObjects } from './legacy-objects.ts';
import type { OwnerResolver } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { documentIdOf } from './stable-ids.ts';
import type { Survey } from './survey.ts';
import { expectedKeys, type TableValidation, validateTable } from './validate-rows.ts';
import { type ObjectValidation, type VectorValidation, validateObjects, validateVectors } from './validate-stores.ts';

export interface TenantValidation {
  tenant: { id: string; slug: string };
  tables: Record<string, TableValidation>;
  vectors: VectorValidation;
  objects?: ObjectValidation;
  problems: string[];
}

export interface Validation {
  ok: boolean;
  tenants: TenantValidation[];
  cacheKeysRemaining?: number;
  problems: string[];
}

export interface ValidationIo {
  db: SourceDb;
  target: pg.Client;
  index: Index;
  bucket?: Bucket;
  legacyBucket?: Bucket;
  cache?: CacheNamespace;
}

export async function validate(
  plan: Plan,
  io: ValidationIo,
  resolve: OwnerResolver,
  surveyed: Survey,
  options: { cachePurged: boolean },
): Promise<Validation> {
  const objectPairs = await objectPairsByTenant(plan, io, resolve);
  const tenants: TenantValidation[] = [];
  for (const line of surveyed.tenants) {
    const { tenant } = line;
    const result: TenantValidation = {
      tenant: { id: tenant.id, slug: tenant.slug },
      tables: {},
      vectors: { expected: 0, actual: 0, foreign: [] },
      problems: [],
    };
    const documentIds = new Set<string>();
    let targetChunks = 0;
    for (const table of plan.source.tables) {
      const expected = await expectedKeys(io.db, table, line.owners, plan.batchSize);
      for (const key of expected) documentIds.add(documentIdOf(plan.id, table.name, key));
      const checked = await validateTable(plan, io, tenant, table, expected, line.tables[table.name]?.chunks ?? 0);
      result.tables[table.name] = checked;
      targetChunks += checked.targetChunks;
      const where = `${tenant.slug} ${table.name}`;
      if (checked.source !== checked.target)
        result.problems.push(`${where}: ${checked.source} rows in the source, ${checked.target} in the tenant`);
      if (checked.missing.length > 0) result.problems.push(`${where}: missing ${checked.missing.join(', ')}`);
      if (checked.unexpected.length > 0)
        result.problems.push(`${where}: rows of other owners ${checked.unexpected.join(', ')}`);
      if (table.chunks && checked.sourceChunks !== checked.targetChunks) {
        result.problems.push(
          `${where}: ${checked.sourceChunks} chunks in the source, ${checked.targetChunks} in the tenant`,
        );
      }
      result.problems.push(...checked.sampleMismatches.map((m) => `${tenant.slug} sample: ${m}`));
    }
    const expectedVectors = surveyed.vectorMode === 'copy' ? line.vectors : targetChunks;
    result.vectors = await validateVectors(io.index, tenant, documentIds, expectedVectors);
    if (result.vectors.expected !== result.vectors.actual) {
      result.problems.push(
        `${tenant.slug} vectors: ${result.vectors.expected} expected, ${result.vectors.actual} in its namespace`,
      );
    }
    if (result.vectors.foreign.length > 0)
      result.problems.push(`${tenant.slug} vectors of other documents: ${result.vectors.foreign.join(', ')}`);
    if (io.bucket && io.legacyBucket && plan.source.objects) {
      const pairs = objectPairs.get(tenant.id) ?? [];
      result.objects = await validateObjects(io.legacyBucket, io.bucket, tenant, pairs, documentIds);
      const o = result.objects;
      if (o.expected !== o.actual)
        result.problems.push(`${tenant.slug} objects: ${o.expected} expected, ${o.actual} under its prefix`);
      if (o.missing.length > 0)
        result.problems.push(`${tenant.slug} objects missing: ${o.missing.slice(0, 10).join(', ')}`);
      if (o.checksumMismatches.length > 0)
        result.problems.push(
          `${tenant.slug} objects with other bytes: ${o.checksumMismatches.slice(0, 10).join(', ')}`,
        );
    }
    tenants.push(result);
  }
  const problems = tenants.flatMap((t) => t.problems);
  let cacheKeysRemaining: number | undefined;
  if (io.cache) {
    cacheKeysRemaining = 0;
    for await (const keys of io.cache.matchingKeys()) cacheKeysRemaining += keys.length;
    if (options.cachePurged && cacheKeysRemaining > 0)
      problems.push(`${cacheKeysRemaining} unscoped cache keys remain`);
  }
  return { ok: problems.length === 0, tenants, cacheKeysRemaining, problems };
}

async function objectPairsByTenant(plan: Plan, io: ValidationIo, resolve: OwnerResolver) {
  const pairs = new Map<string, Array<[string, string]>>();
  const source = plan.source.objects;
  if (!source || !io.legacyBucket) return pairs;
  const seen = new Set<string>();
  for await (const keys of legacyObjectPages(io.legacyBucket, keyPattern(source.pattern).prefix)) {
    for (const placement of await placeObjects(io.db, plan, resolve, keys)) {
      if (!placement.placed || seen.has(placement.documentId)) continue;
      seen.add(placement.documentId);
      const list = pairs.get(placement.tenant.id) ?? [];
      list.push([placement.key, placement.targetKey]);
      pairs.set(placement.tenant.id, list);
    }
  }
  return pairs;
}
