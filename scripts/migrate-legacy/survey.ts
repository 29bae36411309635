// The dry run: reads everything the plan covers, without writing anywhere, and says per owner →
// tenant what would move (rows per table, chunks, vectors, objects, bytes), what could not be
// placed (NULL or unknown owners, vectors and objects matching no row of their owner) and which
// cache keys would be purged. `lossy` is the verdict: anything the plan would leave behind that it
// did not say to skip. Apply refuses a lossy plan; validation compares against these numbers.
import type { Index } from '@pinecone-database/pinecone';
import type { Bucket, SourceDb } from './connections.ts';
import type { CacheNamespace } from './legacy-cache.ts';
import { keyPattern, legacyObjectPages, placeObjects } from './legacy-objects.ts';
import { ownerCounts, ownerDirectory } from './legacy-rows.ts';
import { fetchLegacyVectors, legacyVectorIdPages, placeVectors } from './legacy-vectors.ts';
import { type Owner, type OwnerResolver, ownerResolver, type Refusal, type TargetTenant } from './owner-mapping.ts';
import { embedderId, type Plan } from './plan.ts';

const SAMPLE = 20;

export interface TenantSurvey {
  tenant: TargetTenant;
  owners: Owner[];
  tables: Record<string, { rows: number; bytes: number; chunks: number }>;
  vectors: number;
  objects: number;
}

export interface Survey {
  planId: string;
  vectorMode: 'copy' | 're-embed';
  tenants: TenantSurvey[];
  refusedRows: Array<{ table: string; owner: Owner; reason: Refusal; rows: number }>;
  unplacedVectors: { count: number; action: 'refuse' | 'skip'; byReason: Record<string, number>; sample: string[] };
  unplacedObjects: { count: number; action: 'refuse' | 'skip'; byReason: Record<string, number>; sample: string[] };
  chunksWithoutVector: number;
  cacheKeys: { count: number; sample: string[] };
  /** Why the plan would lose something; empty when it would not. */
  losses: string[];
}

export interface Sources {
  db: SourceDb;
  legacyIndex?: Index;
  legacyBucket?: Bucket;
  cache?: CacheNamespace;
}

export async function surveyOwners(plan: Plan, db: SourceDb): Promise<{ resolve: OwnerResolver }> {
  return { resolve: ownerResolver(plan, await ownerDirectory(db, plan)) };
}

export async function survey(plan: Plan, sources: Sources): Promise<Survey> {
  const { resolve } = await surveyOwners(plan, sources.db);
  const byTenant = new Map<string, TenantSurvey>();
  const entry = (tenant: TargetTenant) => {
    let found = byTenant.get(tenant.id);
    if (!found) {
      found = { tenant, owners: [], tables: {}, vectors: 0, objects: 0 };
      byTenant.set(tenant.id, found);
    }
    return found;
  };
  const result: Survey = {
    planId: plan.id,
    vectorMode: plan.source.vectors?.model === embedderId(plan) ? 'copy' : 're-embed',
    tenants: [],
    refusedRows: [],
    unplacedVectors: { count: 0, action: plan.source.vectors?.unmatched ?? 'refuse', byReason: {}, sample: [] },
    unplacedObjects: { count: 0, action: plan.source.objects?.unmatched ?? 'refuse', byReason: {}, sample: [] },
    chunksWithoutVector: 0,
    cacheKeys: { count: 0, sample: [] },
    losses: [],
  };

  for (const table of plan.source.tables) {
    const chunkCounts = await chunkCountsByOwner(sources.db, table);
    for (const count of await ownerCounts(sources.db, table)) {
      const verdict = resolve(count.owner);
      if (!('tenant' in verdict)) {
        result.refusedRows.push({ table: table.name, owner: count.owner, reason: verdict.refused, rows: count.rows });
        continue;
      }
      const line = entry(verdict.tenant);
      if (!line.owners.includes(count.owner)) line.owners.push(count.owner);
      const tableLine = line.tables[table.name] ?? { rows: 0, bytes: 0, chunks: 0 };
      line.tables[table.name] = tableLine;
      tableLine.rows += count.rows;
      tableLine.bytes += count.bytes;
      tableLine.chunks += chunkCounts?.get(count.owner) ?? 0;
    }
  }
  // A user without rows gets no tenant: there is nothing of theirs to move.
  for (const refused of result.refusedRows) {
    const what =
      refused.reason === 'null-owner'
        ? 'have no owner'
        : refused.reason === 'unknown-owner'
          ? `belong to unknown owner ${refused.owner}`
          : `belong to owner ${refused.owner}, whose tenant slug another owner has`;
    result.losses.push(`${refused.rows} rows of ${refused.table} ${what}`);
  }

  if (sources.legacyIndex && plan.source.vectors) {
    const unplaced = result.unplacedVectors;
    const { legacyIndex } = sources;
    const { namespace } = plan.source.vectors;
    const tally = async (ids: string[]) => {
      const vectors = await fetchLegacyVectors(legacyIndex, namespace, ids);
      for (const placement of await placeVectors(sources.db, plan, resolve, vectors)) {
        if (placement.placed) {
          entry(placement.tenant).vectors++;
        } else {
          unplaced.count++;
          unplaced.byReason[placement.why] = (unplaced.byReason[placement.why] ?? 0) + 1;
          if (unplaced.sample.length < SAMPLE) unplaced.sample.push(placement.id);
        }
      }
    };
    // Listing is sequential; a few pages are fetched and matched at once (as copy-vectors.ts does).
    let inFlight: string[][] = [];
    for await (const ids of legacyVectorIdPages(legacyIndex, namespace)) {
      inFlight.push(ids);
      if (inFlight.length === 4) {
        await Promise.all(inFlight.map(tally));
        inFlight = [];
      }
    }
    await Promise.all(inFlight.map(tally));
    if (unplaced.count > 0 && unplaced.action === 'refuse') {
      result.losses.push(
        `${unplaced.count} legacy vectors match no row of their owner (${JSON.stringify(unplaced.byReason)})`,
      );
    }
    if (result.vectorMode === 'copy') {
      const table = plan.source.vectors.table;
      for (const line of byTenant.values()) {
        result.chunksWithoutVector += Math.max(0, (line.tables[table]?.chunks ?? 0) - line.vectors);
      }
      if (result.chunksWithoutVector > 0) {
        result.losses.push(
          `${result.chunksWithoutVector} legacy chunks have no legacy vector to copy (re-embedding them is not part of a copy)`,
        );
      }
    }
  }

  if (sources.legacyBucket && plan.source.objects) {
    const unplaced = result.unplacedObjects;
    const seen = new Set<string>();
    for await (const keys of legacyObjectPages(sources.legacyBucket, keyPattern(plan.source.objects.pattern).prefix)) {
      for (const placement of await placeObjects(sources.db, plan, resolve, keys)) {
        // Bulkhead keeps one object per document: a second one for the same row is not placed.
        const duplicate = placement.placed && seen.has(placement.documentId);
        if (placement.placed && !duplicate) {
          seen.add(placement.documentId);
          entry(placement.tenant).objects++;
          continue;
        }
        const why = duplicate ? 'second-object' : placement.placed ? 'placed' : placement.why;
        unplaced.count++;
        unplaced.byReason[why] = (unplaced.byReason[why] ?? 0) + 1;
        if (unplaced.sample.length < SAMPLE) unplaced.sample.push(placement.key);
      }
    }
    if (unplaced.count > 0 && unplaced.action === 'refuse') {
      result.losses.push(
        `${unplaced.count} legacy objects match no row of their owner (${JSON.stringify(unplaced.byReason)})`,
      );
    }
  }

  if (sources.cache) {
    for await (const keys of sources.cache.matchingKeys()) {
      result.cacheKeys.count += keys.length;
      for (const key of keys) if (result.cacheKeys.sample.length < SAMPLE) result.cacheKeys.sample.push(key);
    }
  }
  result.tenants = [...byTenant.values()];
  return result;
}

async function chunkCountsByOwner(db: SourceDb, table: Plan['source']['tables'][number]) {
  const c = table.chunks;
  if (!c) return undefined;
  const q = (identifier: string) => `"${identifier}"`;
  const owner = table.owner === null ? 'null::text' : `d.${q(table.owner)}::text`;
  const rows = await db.read<{ owner: string | null; chunks: string }>(
    `select ${owner} as owner, count(*) as chunks from ${q(c.table)} c join ${q(table.name)} d on c.${q(c.document)} = d.${q(table.key)} group by 1`,
  );
  return new Map<Owner, number>(rows.map((row) => [row.owner, Number(row.chunks)]));
}
