// The orphan-object sweep: objects under a tenant's prefix whose document row no longer exists.
// A presigned PUT cannot be revoked, so an upload may land after its document was deleted (and a
// second DELETE of that id removes it, see delete-document.ts); whatever nobody deletes again is
// found here. The tenant's prefix is listed page by page; each page's document ids are looked up
// in one batch under RLS, and an object is deleted only when no row of its document exists in its
// project and it was written longer ago than any upload URL lives (plus clock skew), so nothing a
// client may still be uploading through a valid URL is touched. Keys this module did not make
// are left alone and counted. Run by a cron trigger for every tenant (sweepOrphanObjectsOfTenants).
import { documentsAmong } from '../../db/repositories/document-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import { MAX_UPLOAD_EXPIRY_SECONDS } from '../../stores/object-presigning.ts';
import { type ListedTenantObject, tenantObjects } from '../../stores/tenant-objects.ts';
import { systemContext, type TenantContext } from '../../tenancy/context.ts';
import type { Tenant } from '../../tenancy/registry.ts';
import { type DocumentIdentity, storedObjectKey, tenantObjectPrefix } from '../../tenancy/storage-names.ts';
import type { ServiceDeps } from '../service-deps.ts';

/** Between the Worker's clock (which signed the URL) and the store's (which stamps LastModified). */
export const CLOCK_SKEW_SECONDS = 60;
/** An object younger than this may still be (re)written through a valid upload URL. */
export const ORPHAN_GRACE_SECONDS = MAX_UPLOAD_EXPIRY_SECONDS + CLOCK_SKEW_SECONDS;
/** ListObjectsV2's own maximum: one listing and one database batch per 1000 objects. */
export const SWEEP_PAGE_SIZE = 1000;

export interface OrphanSweepOptions {
  /** The sweep's clock; tests move it to prove the upload window. */
  now?: Date;
  pageSize?: number;
}

export interface OrphanSweepCounts {
  /** Objects listed under the tenant's prefix. */
  scanned: number;
  /** Orphans removed: no row, written before the upload window. */
  deleted: number;
  /** Objects of documents that exist. */
  live: number;
  /** Orphans still inside the upload window (or undated): the next sweep looks again. */
  inWindow: number;
  /** Keys that are not a document object key this service makes: never deleted here. */
  unrecognised: number;
}

export type SweepDeps = Pick<ServiceDeps, 'settings' | 'requestId' | 'objectOptions'>;

const DOCUMENT_PATH = /^projects\/([^/]+)\/documents\/([^/]+)\/[^/]+$/;

/** The document an object key belongs to, if it is a key storage-names.ts would have made. */
function documentOf(ctx: TenantContext, key: string): DocumentIdentity | undefined {
  const match = DOCUMENT_PATH.exec(key.slice(tenantObjectPrefix(ctx).length));
  const [projectId, id] = [match?.[1], match?.[2]];
  if (!projectId || !id || !UUID_PATTERN.test(projectId) || !UUID_PATTERN.test(id)) return undefined;
  const document = { projectId, id };
  return storedObjectKey(ctx, document, key) === key ? document : undefined;
}

export async function sweepOrphanObjects({
  ctx,
  deps,
  input = {},
}: {
  ctx: TenantContext;
  deps: SweepDeps;
  input?: OrphanSweepOptions;
}): Promise<OrphanSweepCounts> {
  // Under a project-limited context RLS would hide other projects' rows, and their live objects
  // would look orphaned.
  if (ctx.projectIds !== 'all') throw new Error('the orphan sweep needs a tenant-wide context');
  const objects = tenantObjects(ctx, deps.settings, deps.objectOptions);
  const cutoff = (input.now ?? new Date()).getTime() - ORPHAN_GRACE_SECONDS * 1000;
  const counts: OrphanSweepCounts = { scanned: 0, deleted: 0, live: 0, inWindow: 0, unrecognised: 0 };
  let continuationToken: string | undefined;
  do {
    const page = await objects.listObjects({ continuationToken, maxKeys: input.pageSize ?? SWEEP_PAGE_SIZE });
    counts.scanned += page.objects.length;
    const owned = page.objects.map((object) => ({ object, document: documentOf(ctx, object.key) }));
    const ids = [...new Set(owned.flatMap(({ document }) => (document ? [document.id] : [])))];
    const rows =
      ids.length === 0 ? [] : (await withTenant(ctx, deps.settings, (scope) => [documentsAmong(scope, ids)]))[0];
    const projectOf = new Map(rows.map((row) => [row.id, row.projectId]));
    const orphans: ListedTenantObject[] = [];
    for (const { object, document } of owned) {
      if (!document) counts.unrecognised++;
      else if (projectOf.get(document.id) === document.projectId) counts.live++;
      else if (!object.lastModified || object.lastModified.getTime() > cutoff) counts.inWindow++;
      else orphans.push(object);
    }
    for (const orphan of orphans) await objects.deleteObject(orphan.key);
    counts.deleted += orphans.length;
    continuationToken = page.nextContinuationToken;
  } while (continuationToken);
  console.log(
    JSON.stringify({
      level: 'info',
      event: 'objects.orphans_swept',
      tenantId: ctx.tenantId,
      requestId: deps.requestId,
      ...counts,
    }),
  );
  return counts;
}

/** What the sweep runs as: the system principal `scheduled:orphan-object-sweep` (no scopes, no features). */
export function orphanSweepContext(tenant: { id: string }): TenantContext {
  return systemContext(tenant.id, 'scheduled:orphan-object-sweep');
}

/**
 * The cron trigger's work: every tenant swept in turn, one tenant's failure logged and the rest
 * still swept; throws at the end if any failed, so the invocation shows as failed and the next
 * scheduled run tries again.
 */
export async function sweepOrphanObjectsOfTenants({
  tenants,
  deps,
  input,
}: {
  tenants: Iterable<{ id: string }> | AsyncIterable<{ id: string }>;
  deps: SweepDeps;
  input?: OrphanSweepOptions;
}): Promise<Map<string, OrphanSweepCounts>> {
  const swept = new Map<string, OrphanSweepCounts>();
  const failures: unknown[] = [];
  for await (const tenant of tenants) {
    try {
      swept.set(tenant.id, await sweepOrphanObjects({ ctx: orphanSweepContext(tenant), deps, input }));
    } catch (error) {
      failures.push(error);
      console.error(
        JSON.stringify({
          level: 'error',
          event: 'objects.orphan_sweep_failed',
          tenantId: tenant.id,
          requestId: deps.requestId,
          error: String(error),
        }),
      );
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `orphan sweep failed for ${failures.length} tenant(s)`);
  return swept;
}
