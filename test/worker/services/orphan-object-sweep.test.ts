// The orphan-object sweep on the local object store: it deletes, page by page, objects under the
// tenant's prefix whose document row does not exist and whose upload window has passed; it keeps
// live documents' objects, an orphan still inside the window and keys it did not make; and every
// request it sends stays under the tenant's own prefix, a neighbour whose id shares all but the
// last characters included.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ORPHAN_GRACE_SECONDS,
  sweepOrphanObjects,
  sweepOrphanObjectsOfTenants,
} from '../../../src/services/documents/sweep-orphan-objects.ts';
import { objectUrl } from '../../../src/stores/object-urls.ts';
import { s3Client } from '../../../src/stores/s3-client.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { documentObjectKey, type ObjectKey, tenantObjectPrefix } from '../../../src/tenancy/storage-names.ts';
import { createTenant, type TenantFixture } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

const settings = testSettings();

async function plant(key: string): Promise<string> {
  const response = await s3Client(settings).fetch(objectUrl(settings, key as ObjectKey).toString(), {
    method: 'PUT',
    body: `planted at ${key}`,
  });
  expect(response.status).toBe(200);
  await response.body?.cancel();
  return key;
}

const orphanKey = (ctx: TenantContext, projectId: string) =>
  documentObjectKey(ctx, { projectId, id: crypto.randomUUID() }, 'late upload.txt');

async function keysOf(ctx: TenantContext): Promise<string[]> {
  return [...(await tenantObjects(ctx, settings).listObjects()).keys].sort();
}

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant(1);
});

describe('sweepOrphanObjects', () => {
  it('removes old orphans page by page and keeps live, in-window and foreign objects', async () => {
    // The neighbour differs from A only in its last two characters; it has no rows at all.
    const neighbour = tenantContext(`${a.tenantId.slice(0, -2)}${a.tenantId.endsWith('00') ? '11' : '00'}`);
    const live = await plant(documentObjectKey(a.ctx, { projectId: a.projectIds[0], id: a.documentId }, 'live.txt'));
    await Promise.all([
      plant(orphanKey(a.ctx, a.projectIds[0])),
      plant(orphanKey(a.ctx, a.projectIds[1])),
      plant(orphanKey(a.ctx, a.projectIds[1])),
      // The live document's id under the wrong project: no row names this object.
      plant(documentObjectKey(a.ctx, { projectId: a.projectIds[1], id: a.documentId }, 'moved.txt')),
    ]);
    const stray = await plant(`${tenantObjectPrefix(a.ctx)}imports/stray.txt`);
    const neighbours = await Promise.all([
      plant(orphanKey(neighbour, a.projectIds[0])),
      plant(orphanKey(neighbour, crypto.randomUUID())),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const windowOpenedAt = Date.now();
    const inWindow = await plant(orphanKey(a.ctx, a.projectIds[0]));

    const sent: Request[] = [];
    const deps = {
      settings,
      requestId: `test-${crypto.randomUUID()}`,
      objectOptions: {
        fetch: (request: Request) => {
          sent.push(request.clone());
          return fetch(request);
        },
      },
    };
    // The in-window upload is 0.5 s short of leaving the window; everything before it, 1 s past.
    const now = new Date(windowOpenedAt + ORPHAN_GRACE_SECONDS * 1000 - 500);
    const counts = await sweepOrphanObjects({ ctx: a.ctx, deps, input: { now, pageSize: 2 } });

    expect(counts).toEqual({ scanned: 7, deleted: 4, live: 1, inWindow: 1, unrecognised: 1 });
    expect(await keysOf(a.ctx)).toEqual([live, stray, inWindow].sort());
    expect(await keysOf(neighbour)).toEqual([...neighbours].sort());

    const lists = sent.filter((request) => request.method === 'GET');
    expect(lists.length).toBe(4); // 7 objects, 2 a page
    const own = `/${settings.S3_BUCKET}/${tenantObjectPrefix(a.ctx)}`;
    for (const request of sent) {
      const url = new URL(request.url);
      if (request.method === 'GET') expect(url.searchParams.get('prefix')).toBe(tenantObjectPrefix(a.ctx));
      else expect([request.method, decodeURIComponent(url.pathname).startsWith(own)]).toEqual(['DELETE', true]);
    }
    expect(sent.filter((request) => request.method === 'DELETE')).toHaveLength(4);

    // Once the window has passed, the next run removes the late upload too, and nothing else.
    const later = new Date(now.getTime() + 1000);
    expect(await sweepOrphanObjects({ ctx: a.ctx, deps, input: { now: later } })).toEqual({
      scanned: 3,
      deleted: 1,
      live: 1,
      inWindow: 0,
      unrecognised: 1,
    });
    expect(await keysOf(a.ctx)).toEqual([live, stray].sort());
    expect(await keysOf(neighbour)).toEqual([...neighbours].sort());
  });

  it('refuses a project-limited context, under which other projects’ documents look missing', async () => {
    const limited = tenantContext(a.tenantId, { projectIds: [a.projectIds[0]] });
    const key = await plant(documentObjectKey(limited, { projectId: a.projectIds[1], id: a.documentId }, 'x.txt'));
    const deps = { settings, requestId: 'test' };
    await expect(
      sweepOrphanObjects({ ctx: limited, deps, input: { now: new Date(Date.now() + 3_600_000) } }),
    ).rejects.toThrow(/tenant-wide/);
    expect(await keysOf(a.ctx)).toContain(key);
    await tenantObjects(a.ctx, settings).deleteObject(key as ObjectKey);
  });

  it('sweeps every tenant of the cron run, and one tenant failing does not stop the others', async () => {
    const b = await createTenant(1);
    const orphan = await plant(orphanKey(b.ctx, b.projectIds[0]));
    const broken = { id: b.ctx.tenantId, limits: b.ctx.limits };
    const down = {
      settings,
      requestId: 'test',
      objectOptions: { fetch: async () => new Response('', { status: 503 }) },
    };
    await expect(sweepOrphanObjectsOfTenants({ tenants: [broken], deps: down })).rejects.toThrow(/1 tenant/);
    expect(await keysOf(b.ctx)).toEqual([orphan]);

    const tenants = [{ id: 'not-a-tenant' as TenantContext['tenantId'], limits: b.ctx.limits }, broken];
    const run = sweepOrphanObjectsOfTenants({
      tenants,
      deps: { settings, requestId: 'test' },
      input: { now: new Date(Date.now() + 3_600_000) },
    });
    await expect(run).rejects.toThrow(/1 tenant/);
    expect(await keysOf(b.ctx)).toEqual([]);
  });
});
