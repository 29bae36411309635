// The bodies of the tenant erasure's steps (the plan is tenant-erasure.ts). Each is idempotent:
// it deletes what is still there, and "already gone" (a 404, an empty page) is success, so a step
// retried after a crash, or a whole job resumed, finishes the work instead of failing on it.
import { countRows, deleteRowBatch, tenantTables } from '../../db/repositories/erasure-counts.ts';
import { setTenantErasureStatus, tenantStatus } from '../../db/repositories/erasure-records.ts';
import type { JobPatch } from '../../db/repositories/jobs.ts';
import { findJob, updateJob } from '../../db/repositories/jobs.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { storeUnavailable } from '../../stores/store-unavailable.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import { tenantVectors } from '../../stores/tenant-vectors.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { listedCacheKey, tenantCachePrefix } from '../../tenancy/storage-names.ts';
import { DEFAULT_BATCH_SIZE, type JobDeps } from '../jobs/durable-steps.ts';
import type { JobProgress, StoreName } from '../jobs/job-types.ts';
import { eraseOrder, RETAINED_TABLES } from './erasure-tables.ts';
import { countCacheKeys, countObjects, countVectors, vectorStatsCount } from './side-store-counts.ts';

/** Deletes of objects in flight at once: the store takes one key per DELETE. */
const OBJECT_DELETE_CONCURRENCY = 16;

export type StoreCounts = Record<StoreName, number>;

export interface Census {
  /** The tenant tables to empty, in order. */
  tables: string[];
  /** Tables the runtime role cannot count: the verification fails while there is one. */
  uncountable: string[];
  remaining: StoreCounts;
  /** What earlier attempts of this job already deleted (their progress). */
  doneBefore: StoreCounts;
}

export interface Verification {
  remaining: StoreCounts;
  /** Rows left per table, only the non-empty ones. */
  tables: Record<string, number>;
  uncountable: string[];
  tenantStatus: string | undefined;
}

export const zeroCounts = (): StoreCounts => ({ postgres: 0, vectors: 0, objects: 0, cache: 0 });

export function progressOf(done: StoreCounts, total: StoreCounts): JobProgress {
  const entry = (store: StoreName) => ({ done: done[store], total: Math.max(total[store], done[store]) });
  return { postgres: entry('postgres'), vectors: entry('vectors'), objects: entry('objects'), cache: entry('cache') };
}

export async function patchJob(ctx: TenantContext, deps: JobDeps, jobId: string, patch: JobPatch): Promise<void> {
  await withTenant(ctx, deps.settings, (scope) => [updateJob(scope, jobId, patch)]);
}

/** Refuses the tenant's credentials from here on (status `deleting`) and marks the job running. */
export async function beginErasure(ctx: TenantContext, deps: JobDeps, jobId: string): Promise<string> {
  const [moved, current] = await withTenant(ctx, deps.settings, (scope) => [
    setTenantErasureStatus(scope, 'deleting'),
    tenantStatus(scope),
    updateJob(scope, jobId, { state: 'running', step: 'begin', lastError: null }),
  ]);
  const status = moved.rows[0]?.status ?? current.rows[0]?.status;
  if (status !== 'deleting' && status !== 'erased') throw new Error(`tenant cannot be erased from status ${status}`);
  return status;
}

async function catalogue(ctx: TenantContext, deps: JobDeps) {
  const [tables] = await withTenant(ctx, deps.settings, (scope) => [tenantTables(scope)]);
  return tables.rows;
}

async function countTables(ctx: TenantContext, deps: JobDeps, names: string[]): Promise<Record<string, number>> {
  if (names.length === 0) return {};
  const [counted] = await withTenant(ctx, deps.settings, (scope) => [countRows(scope, names)]);
  return Object.fromEntries(counted.rows.map((row) => [row.name, Number(row.rows)]));
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** What there is to delete, store by store, and the progress row that says so. */
export async function takeCensus(ctx: TenantContext, deps: JobDeps, jobId: string): Promise<Census> {
  const listed = await catalogue(ctx, deps);
  const names = listed.map((table) => table.name);
  const tables = eraseOrder(names);
  const uncountable = listed.filter((t) => !RETAINED_TABLES.has(t.name) && !t.readable).map((t) => t.name);
  // A table the runtime role cannot delete from is still counted, so the verification fails on it.
  const deletable = new Set(listed.filter((t) => t.readable && t.deletable).map((t) => t.name));
  const countable = tables.filter((name) => !uncountable.includes(name));
  const [rows, vectors, objects, cache, job] = await Promise.all([
    countTables(ctx, deps, countable),
    vectorStatsCount(ctx, deps.pinecone),
    countObjects(ctx, deps.settings, deps.objectOptions),
    countCacheKeys(ctx, deps.kv),
    withTenant(ctx, deps.settings, (scope) => [findJob(scope, jobId)]),
  ]);
  const before = job[0].rows[0]?.progress ?? {};
  const doneBefore: StoreCounts = {
    postgres: before.postgres?.done ?? 0,
    vectors: before.vectors?.done ?? 0,
    objects: before.objects?.done ?? 0,
    cache: before.cache?.done ?? 0,
  };
  const remaining: StoreCounts = { postgres: sum(rows), vectors, objects, cache };
  const total: StoreCounts = {
    postgres: doneBefore.postgres + remaining.postgres,
    vectors: doneBefore.vectors + remaining.vectors,
    objects: doneBefore.objects + remaining.objects,
    cache: doneBefore.cache + remaining.cache,
  };
  await patchJob(ctx, deps, jobId, { step: 'census', progress: progressOf(doneBefore, total) });
  return { tables: countable.filter((name) => deletable.has(name)), uncountable, remaining, doneBefore };
}

/** At most one batch of `table`'s rows; the job's postgres progress moves in the same statement. */
export async function deleteRows(ctx: TenantContext, deps: JobDeps, jobId: string, table: string): Promise<number> {
  const [result] = await withTenant(ctx, deps.settings, (scope) => [
    deleteRowBatch(scope, table, deps.batchSize ?? DEFAULT_BATCH_SIZE, jobId),
    updateJob(scope, jobId, { step: `rows:${table}` }),
  ]);
  return Number(result.rows[0]?.deleted ?? 0);
}

/** The whole namespace, one call; returns how many vectors it held (by the index's figure). */
export async function deleteVectors(ctx: TenantContext, deps: JobDeps): Promise<number> {
  const held = await vectorStatsCount(ctx, deps.pinecone);
  await tenantVectors(ctx, deps.pinecone).deleteAll(); // a 404 (no namespace) is already gone
  return held;
}

/** One page of the tenant's objects (always the first: deleted keys leave the listing). */
export async function deleteObjectPage(ctx: TenantContext, deps: JobDeps): Promise<{ deleted: number; more: boolean }> {
  const objects = tenantObjects(ctx, deps.settings, deps.objectOptions);
  const page = await objects.listObjects({ maxKeys: deps.batchSize ?? DEFAULT_BATCH_SIZE });
  for (let start = 0; start < page.keys.length; start += OBJECT_DELETE_CONCURRENCY) {
    await Promise.all(
      page.keys.slice(start, start + OBJECT_DELETE_CONCURRENCY).map((key) => objects.deleteObject(key)),
    );
  }
  return { deleted: page.keys.length, more: page.nextContinuationToken !== undefined };
}

/** One page of the tenant's KV keys under `t:{tenantId}:` (each listed name checked again). */
export async function deleteCachePage(ctx: TenantContext, deps: JobDeps): Promise<{ deleted: number; more: boolean }> {
  const prefix = tenantCachePrefix(ctx);
  try {
    const page = await deps.kv.list({ prefix, limit: deps.batchSize ?? DEFAULT_BATCH_SIZE });
    const keys = page.keys.map((key) => listedCacheKey(ctx, key.name)).filter((key) => key !== undefined);
    await Promise.all(keys.map((key) => deps.kv.delete(key)));
    return { deleted: keys.length, more: !page.list_complete };
  } catch (error) {
    throw storeUnavailable('cache', error);
  }
}

/** Counts what is left in all four stores: by listing and counting, never from the deletes' answers. */
export async function verifyErased(ctx: TenantContext, deps: JobDeps, jobId: string): Promise<Verification> {
  await patchJob(ctx, deps, jobId, { state: 'verifying', step: 'verify' });
  const listed = await catalogue(ctx, deps);
  const uncountable = listed.filter((t) => !RETAINED_TABLES.has(t.name) && !t.readable).map((t) => t.name);
  const names = listed.map((t) => t.name).filter((name) => !RETAINED_TABLES.has(name) && !uncountable.includes(name));
  const [rows, vectors, objects, cache, status] = await Promise.all([
    countTables(ctx, deps, names),
    countVectors(ctx, deps.pinecone),
    countObjects(ctx, deps.settings, deps.objectOptions),
    countCacheKeys(ctx, deps.kv),
    withTenant(ctx, deps.settings, (scope) => [tenantStatus(scope)]),
  ]);
  const tables = Object.fromEntries(Object.entries(rows).filter(([, n]) => n > 0));
  return {
    remaining: { postgres: sum(rows), vectors, objects, cache },
    tables,
    uncountable,
    tenantStatus: status[0].rows[0]?.status,
  };
}

export const isZero = (verification: Verification) =>
  verification.uncountable.length === 0 && Object.values(verification.remaining).every((n) => n === 0);
