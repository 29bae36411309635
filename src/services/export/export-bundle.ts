// Export as a durable plan (issue 14): each table written as JSON Lines files (a page of rows per
// step and per file, so a retried step rewrites the same file), then a manifest of the original
// objects with their sizes and SHA-256 (read back, not trusted from a listing), then manifest.json
// naming every file with its rows, bytes and checksum. The exporting context is the tenant (or one
// project of it), so nothing of another tenant can be read into the bundle (RLS, the tenant's own
// object prefix, and the context's project list).
import { EXPORT_TABLES, exportPage } from '../../db/repositories/export-records.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { tenantObjects } from '../../stores/tenant-objects.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { toTenantId } from '../../tenancy/context.ts';
import { tenantObjectPrefix } from '../../tenancy/storage-names.ts';
import { patchJob } from '../erasure/tenant-erasure-steps.ts';
import { DEFAULT_BATCH_SIZE, type DurableSteps, type JobDeps } from '../jobs/durable-steps.ts';
import { bundleKey, EXPORTS_FOLDER, putBundleFile, sha256Hex } from './bundle-store.ts';

export interface ExportParams {
  jobId: string;
  tenantId: string;
  /** One project only; absent: the whole tenant. */
  projectId?: string;
}

export interface BundleFile {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ManifestObject {
  key: string;
  bytes: number;
  sha256: string;
}

const OBJECTS_PER_STEP = 100;

export function exportContext(params: ExportParams): TenantContext {
  return Object.freeze({
    tenantId: toTenantId(params.tenantId),
    projectIds: params.projectId ? Object.freeze([params.projectId]) : ('all' as const),
    principal: Object.freeze({ kind: 'system' as const, id: 'job:export' }),
    scopes: new Set<never>(),
    features: Object.freeze({}),
    limits: Object.freeze({ requestsPerMinute: 1, burst: 1, maxDocuments: 0, maxUploadBytes: 0, maxTopK: 1 }),
  });
}

export async function exportBundle(steps: DurableSteps, deps: JobDeps, params: ExportParams) {
  const ctx = exportContext(params);
  const { jobId } = params;
  const batch = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  try {
    await steps.do('begin', async () => {
      await patchJob(ctx, deps, jobId, { state: 'running', step: 'begin' });
      return true;
    });
    const files: BundleFile[] = [];
    for (const table of EXPORT_TABLES) {
      let after: string | null = null;
      for (let page = 1; ; page++) {
        const from: string | null = after;
        const file = await steps.do(
          `table:${table}:${page}`,
          async (): Promise<BundleFile & { last: string | null }> => {
            const [rows] = await withTenant(ctx, deps.settings, (scope) => [exportPage(scope, table, from, batch)]);
            const body = rows.rows.map((row) => `${row.line}\n`).join('');
            const name = `${table}-${page}.jsonl`;
            const bytes = new TextEncoder().encode(body);
            await putBundleFile(deps.settings, bundleKey(ctx, jobId, name), body);
            await patchJob(ctx, deps, jobId, { step: `table:${table}` });
            return {
              name,
              rows: rows.rows.length,
              bytes: bytes.byteLength,
              sha256: await sha256Hex(bytes),
              last: rows.rows.at(-1)?.id ?? null,
            };
          },
        );
        files.push({ name: file.name, rows: file.rows, bytes: file.bytes, sha256: file.sha256 });
        if (file.rows < batch) break;
        after = file.last;
      }
    }
    const objects: ManifestObject[] = [];
    let token: string | undefined;
    for (let page = 1; ; page++) {
      const from = token;
      const listed = await steps.do(`objects:${page}`, () => describeObjects(ctx, deps, params, from));
      objects.push(...listed.objects);
      await patchJob(ctx, deps, jobId, {
        step: 'objects',
        progress: { objects: { done: objects.length, total: objects.length } },
      });
      if (!listed.next) break;
      token = listed.next;
    }
    const manifest = await steps.do('manifest', async () => {
      const body = JSON.stringify(
        {
          format: 'bulkhead-export/1',
          tenantId: ctx.tenantId,
          projectId: params.projectId ?? null,
          jobId,
          createdAt: new Date().toISOString(),
          files,
          objects,
        },
        null,
        2,
      );
      await putBundleFile(deps.settings, bundleKey(ctx, jobId, 'manifest.json'), body);
      const bytes = new TextEncoder().encode(body).byteLength;
      const total = files.reduce((sum, f) => sum + f.bytes, 0) + bytes;
      await patchJob(ctx, deps, jobId, {
        state: 'done',
        step: 'manifest',
        result: {
          files: [...files.map((f) => f.name), 'manifest.json'],
          rows: files.reduce((sum, f) => sum + f.rows, 0),
          objects: objects.length,
          objectBytes: objects.reduce((sum, o) => sum + o.bytes, 0),
          bundleBytes: total,
        },
      });
      return { bytes: total };
    });
    return { files, objects: objects.length, bundleBytes: manifest.bytes };
  } catch (error) {
    await steps.do('failed', async () => {
      await patchJob(ctx, deps, jobId, {
        state: 'failed',
        lastError: String((error as Error)?.message ?? error).slice(0, 2000),
      });
      return true;
    });
    throw error;
  }
}

/** One page of the original objects (export bundles left out), each read back for its size and SHA-256. */
async function describeObjects(ctx: TenantContext, deps: JobDeps, params: ExportParams, continuationToken?: string) {
  const store = tenantObjects(ctx, deps.settings, deps.objectOptions);
  const page = await store.listObjects({ continuationToken, maxKeys: OBJECTS_PER_STEP });
  const prefix = tenantObjectPrefix(ctx);
  const wanted = page.keys.filter((key) => {
    const rest = key.slice(prefix.length);
    if (rest.startsWith(EXPORTS_FOLDER)) return false;
    return params.projectId === undefined || rest.startsWith(`projects/${params.projectId}/`);
  });
  const objects: ManifestObject[] = [];
  for (const key of wanted) {
    const response = await store.getObject(key);
    if (!response) continue; // deleted since the listing
    const bytes = await response.arrayBuffer();
    objects.push({ key: key.slice(prefix.length), bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
  }
  return { objects, next: page.nextContinuationToken };
}
