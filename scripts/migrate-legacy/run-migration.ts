// One run of the kit: dry run (the default), apply, validate-only or rollback. Apply is survey →
// refuse if lossy → provision → rows → objects → vectors → purge cache → validate. Every step is
// idempotent (derived ids, upserts, ETag-checked copies), so resuming after a crash is running
// apply again. Connections are opened here and closed whatever happens.
import type { Index } from '@pinecone-database/pinecone';
import type pg from 'pg';
import {
  adminUrlOf,
  type Bucket,
  type Env,
  legacyBucket,
  legacyIndex,
  openSource,
  openTarget,
  type SourceDb,
  targetBucket,
  targetIndex,
} from './connections.ts';
import { copyObjects, type ObjectCopyResult } from './copy-objects.ts';
import { type CopyHooks, copyRows, type RowCopyResult } from './copy-rows.ts';
import { copyVectors } from './copy-vectors.ts';
import { type CacheNamespace, cacheNamespace } from './legacy-cache.ts';
import type { OwnerResolver, TargetTenant } from './owner-mapping.ts';
import type { Plan } from './plan.ts';
import { provisionTenants } from './provision-tenants.ts';
import { type RolledBackTenant, rollback } from './rollback.ts';
import { type Survey, survey, surveyOwners } from './survey.ts';
import { type Validation, validate } from './validate.ts';

export type Mode = 'dry-run' | 'apply' | 'validate-only' | 'rollback';

export interface RunOptions {
  mode: Mode;
  env: Env;
  hooks?: CopyHooks;
  /** Tests only: replaces the owner → tenant resolver of the copy steps (not the validation's). */
  copyResolver?: (resolve: OwnerResolver) => OwnerResolver;
  /** Rollback: the tenants an apply report lists; without it, the plan's tenants. */
  tenants?: TargetTenant[];
}

export interface Report {
  planId: string;
  mode: Mode;
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  /** copy: legacy values into the tenant namespaces; re-embed: chunks embedded with the target embedder. */
  vectorMode: Survey['vectorMode'];
  embedder: string;
  survey: Survey;
  tenants: TargetTenant[];
  refused?: string;
  applied?: {
    provisionedRows: number;
    rows: RowCopyResult;
    objects: ObjectCopyResult;
    vectorsCopied: number;
    cacheKeysPurged: number;
    /** Milliseconds per step (bench/migration.bench.ts turns them into rates). */
    timings: Record<'provision' | 'rows' | 'objects' | 'vectors' | 'cache' | 'validate', number>;
  };
  validation?: Validation;
  rollback?: RolledBackTenant[];
}

interface Io {
  db: SourceDb;
  target: pg.Client;
  index: Index;
  legacyIndex?: Index;
  bucket?: Bucket;
  legacyBucket?: Bucket;
  cache?: CacheNamespace;
}

export async function runMigration(plan: Plan, options: RunOptions): Promise<Report> {
  const startedAt = new Date().toISOString();
  const { env } = options;
  const db = await openSource(plan, env);
  let target: pg.Client | undefined;
  try {
    target = await openTarget(plan, env);
    const io: Io = {
      db,
      target,
      index: targetIndex(plan, env),
      legacyIndex: legacyIndex(plan, env),
      legacyBucket: legacyBucket(plan, env),
      bucket: plan.source.objects ? targetBucket(plan, env) : undefined,
      cache: plan.source.cache ? cacheNamespace(plan.source.cache, env) : undefined,
    };
    const surveyed = await survey(plan, {
      db,
      legacyIndex: io.legacyIndex,
      legacyBucket: io.legacyBucket,
      cache: io.cache,
    });
    const report: Report = {
      planId: plan.id,
      mode: options.mode,
      ok: surveyed.losses.length === 0,
      startedAt,
      finishedAt: '',
      vectorMode: surveyed.vectorMode,
      embedder: `local-lexical-${plan.target.dimension}`,
      survey: surveyed,
      tenants: surveyed.tenants.map((t) => t.tenant),
    };
    const { resolve } = await surveyOwners(plan, db);
    if (options.mode === 'apply') await apply(plan, options, io, resolve, report);
    if (options.mode === 'validate-only') {
      report.validation = await validate(plan, io, resolve, surveyed, { cachePurged: false });
      report.ok = report.validation.ok;
    }
    if (options.mode === 'rollback') {
      report.rollback = await rollback(plan.id, options.tenants ?? report.tenants, {
        ...io,
        adminUrl: adminUrlOf(plan, env),
      });
      report.ok = true;
    }
    report.finishedAt = new Date().toISOString();
    return report;
  } finally {
    await target?.end().catch(() => undefined);
    await db.close().catch(() => undefined);
  }
}

async function apply(plan: Plan, options: RunOptions, io: Io, resolve: OwnerResolver, report: Report) {
  if (report.survey.losses.length > 0) {
    report.refused = 'the dry run found data this plan would lose; nothing was written';
    report.ok = false;
    return;
  }
  const copyResolve = options.copyResolver ? options.copyResolver(resolve) : resolve;
  const timings = { provision: 0, rows: 0, objects: 0, vectors: 0, cache: 0, validate: 0 };
  const timed = async <T>(step: keyof typeof timings, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - start);
    }
  };
  const provisionedRows = await timed('provision', () =>
    provisionTenants(plan, adminUrlOf(plan, options.env), io.target, report.tenants),
  );
  const reEmbed = report.vectorMode === 're-embed';
  const rows = await timed('rows', () =>
    copyRows(plan, { db: io.db, target: io.target, index: io.index, reEmbed }, copyResolve, options.hooks),
  );
  const { legacyBucket, bucket, legacyIndex } = io;
  const objects = await timed('objects', async () =>
    legacyBucket && bucket
      ? copyObjects(plan, { db: io.db, target: io.target, legacyBucket, bucket }, copyResolve, options.hooks)
      : { copied: 0, alreadyThere: 0, methods: {} },
  );
  const vectorsCopied = await timed('vectors', async () =>
    !reEmbed && legacyIndex
      ? copyVectors(plan, { db: io.db, legacyIndex, index: io.index }, copyResolve, options.hooks)
      : 0,
  );
  // Last: the old app keeps its cache until everything else has moved.
  const cacheKeysPurged = await timed('cache', async () => {
    if (!io.cache) return 0;
    // Listed in full first: deleting under a listing cursor may skip keys.
    const keys: string[] = [];
    for await (const page of io.cache.matchingKeys()) keys.push(...page);
    await io.cache.deleteKeys(keys);
    return keys.length;
  });
  report.validation = await timed('validate', () => validate(plan, io, resolve, report.survey, { cachePurged: true }));
  report.applied = { provisionedRows, rows, objects, vectorsCopied, cacheKeysPurged, timings };
  report.ok = report.validation.ok;
}
