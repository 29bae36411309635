// withTenant (one HTTP batch) and withTenantTransaction (WebSocket), as the runtime role through
// the Neon driver: context first, one round trip, project scope, rows only of the caller.
import { neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chunksOfDocument } from '../../../src/db/repositories/chunks.ts';
import {
  documentPage,
  documentPageCondition,
  findDocumentById,
  insertDocumentRecord,
} from '../../../src/db/repositories/document-records.ts';
import { documents } from '../../../src/db/schema/documents.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { withTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { countAsAdmin, createTenant, newDocumentRecord, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

const originalFetch = neonConfig.fetchFunction;
afterEach(() => {
  neonConfig.fetchFunction = originalFetch;
});

/** Counts requests to the Neon HTTP endpoint that carry `marker` (other test files run alongside). */
function countRequests(marker: string): () => number {
  let count = 0;
  neonConfig.fetchFunction = (url: string, init: RequestInit) => {
    if (String(init.body).includes(marker)) count++;
    return fetch(url, init);
  };
  return () => count;
}

describe('withTenant (HTTP batch)', () => {
  it('runs the context and every statement in one round trip, context first', async () => {
    const requests = countRequests(a.tenantId);
    const [setting, listed, chunks] = await withTenant(a.ctx, testSettings(), (scope) => [
      scope.db.execute(sql`select current_setting('app.current_tenant', true) as tenant`),
      documentPage(scope, documentPageCondition(a.projectIds[0], undefined), 50),
      chunksOfDocument(scope, a.projectIds[0], a.documentId),
    ]);
    expect(requests()).toBe(1);
    expect(setting.rows).toEqual([{ tenant: a.tenantId }]);
    expect(listed.map((d) => d.id)).toEqual([a.documentId]);
    expect(chunks.map((c) => c.tenantId)).toEqual([a.tenantId, a.tenantId, a.tenantId]);
  });

  it('a read of everything (no WHERE at all) returns only the caller’s rows', async () => {
    const [all] = await withTenant(a.ctx, testSettings(), ({ db }) => [db.select().from(documents)]);
    expect(all.length).toBe(2);
    expect(all.every((d) => d.tenantId === a.tenantId && d.title.startsWith(a.canary))).toBe(true);
  });

  it('writes take the tenant from the context and commit together', async () => {
    const [[created]] = await withTenant(b.ctx, testSettings(), (scope) => [
      insertDocumentRecord(scope, newDocumentRecord(b.projectIds[0], 'written')),
    ]);
    expect(created?.tenantId).toBe(b.tenantId);
    expect(await countAsAdmin('documents', b.tenantId)).toBe(3);
  });

  it('another tenant’s id answers exactly like a missing one', async () => {
    const [theirs, missing] = await withTenant(a.ctx, testSettings(), (scope) => [
      findDocumentById(scope, b.documentId),
      findDocumentById(scope, crypto.randomUUID()),
    ]);
    expect(theirs).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('a project-limited principal sees and writes only its projects', async () => {
    const limited = tenantContext(a.tenantId, { projectIds: [a.projectIds[0]] });
    const [visible] = await withTenant(limited, testSettings(), ({ db }) => [db.select().from(documents)]);
    expect(visible.map((d) => d.projectId)).toEqual([a.projectIds[0]]);
    await expect(
      withTenant(limited, testSettings(), (scope) => [
        insertDocumentRecord(scope, newDocumentRecord(a.projectIds[1], 'not mine')),
      ]),
    ).rejects.toMatchObject({ code: '42501' });
    const none = tenantContext(a.tenantId, { projectIds: [] });
    const [nothing] = await withTenant(none, testSettings(), ({ db }) => [db.select().from(documents)]);
    expect(nothing).toEqual([]);
  });

  it('refuses a context whose ids are not uuids before any request', async () => {
    const requests = countRequests('not-a-uuid');
    const bad = { ...a.ctx, projectIds: ["x', true) --"] };
    await expect(withTenant(bad, testSettings(), ({ db }) => [db.select().from(documents)])).rejects.toThrow(/uuid/);
    expect(requests()).toBe(0);
  });
});

describe('withTenantTransaction (WebSocket, interactive)', () => {
  it('sets the context first and lets later statements use earlier results', async () => {
    const titles = await withTenantTransaction(a.ctx, testSettings(), async (scope) => {
      const [setting] = (await scope.db.execute(sql`select current_setting('app.current_tenant', true) as t`)).rows;
      expect(setting).toEqual({ t: a.tenantId });
      const [created] = await insertDocumentRecord(scope, newDocumentRecord(a.projectIds[1], 'interactive'));
      const [found] = await findDocumentById(scope, created?.id ?? '');
      return [found?.title, found?.tenantId];
    });
    expect(titles).toEqual(['interactive', a.tenantId]);
  });

  it('rolls everything back when the work throws, and rethrows the same error', async () => {
    const before = await countAsAdmin('documents', a.tenantId);
    const failure = new Error('handler failed');
    await expect(
      withTenantTransaction(a.ctx, testSettings(), async (scope) => {
        await insertDocumentRecord(scope, newDocumentRecord(a.projectIds[0], 'rolled back'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await countAsAdmin('documents', a.tenantId)).toBe(before);
  });
});
