// tenant_document_counts (drizzle/0005): the per-tenant document counter that limits.maxDocuments is
// enforced against. Under RLS like every tenant table (docs/threat-model.md T18, T21): tenant A reads,
// changes and plants nothing of B's counter, and without a context nothing is seen; a project-limited
// principal still sees its whole tenant's count. The triggers on documents keep it equal to the
// tenant's rows whoever writes them, and refuse a batch that would pass its app.max_documents, with
// nothing of the batch stored (docs/threat-model.md T49).
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpSql } from '../../../src/db/neon-client.ts';
import { recordAuditEvent } from '../../../src/db/repositories/audit-events.ts';
import {
  documentLimit,
  isDocumentLimitReached,
  tenantDocumentCount,
} from '../../../src/db/repositories/document-counts.ts';
import { deleteDocumentRecord, insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { documents } from '../../../src/db/schema/documents.ts';
import { tenantDocumentCounts } from '../../../src/db/schema/tenant-document-counts.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { withBrokenWall } from './broken-wall.ts';
import { admin, countAsAdmin, createTenant, newDocumentRecord, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

const RLS_REFUSED = { code: '42501' }; // row-level security refusal, or no privilege at all

const counterAsAdmin = async (tenantId: string) =>
  (
    (await admin().query('select documents from tenant_document_counts where tenant_id = $1', [tenantId]))[0] as {
      documents: number;
    }
  ).documents;

const withMax = (ctx: TenantContext, maxDocuments: number): TenantContext => ({
  ...ctx,
  limits: { ...ctx.limits, maxDocuments },
});

describe('tenant_document_counts under RLS', () => {
  it('the fixtures’ documents (written as the admin) are counted per tenant', async () => {
    expect(await counterAsAdmin(a.tenantId)).toBe(await countAsAdmin('documents', a.tenantId));
    expect(await counterAsAdmin(b.tenantId)).toBe(2);
  });

  it('A sees only its own counter; a principal limited to one project sees the whole tenant’s count', async () => {
    const [all] = await withTenant(a.ctx, testSettings(), ({ db }) => [db.select().from(tenantDocumentCounts)]);
    expect(all).toEqual([{ tenantId: a.tenantId, documents: 2 }]);
    const limited = tenantContext(a.tenantId, { projectIds: [a.projectIds[0]] });
    const [count] = await withTenant(limited, testSettings(), (scope) => [tenantDocumentCount(scope)]);
    expect(count).toEqual([{ documents: 2 }]);
  });

  it('without a context the counters are invisible', async () => {
    expect(await httpSql(testSettings()).query('select * from tenant_document_counts')).toEqual([]);
  });

  it('A cannot change, plant or delete B’s counter, and B’s count stays', async () => {
    const [updated] = await withTenant(a.ctx, testSettings(), ({ db }) => [
      db
        .update(tenantDocumentCounts)
        .set({ documents: 0 })
        .where(eq(tenantDocumentCounts.tenantId, b.tenantId))
        .returning(),
    ]);
    expect(updated).toEqual([]);
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db.insert(tenantDocumentCounts).values({ tenantId: b.tenantId, documents: 0 }),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db
          .insert(tenantDocumentCounts)
          .values({ tenantId: b.tenantId, documents: 0 })
          .onConflictDoUpdate({ target: tenantDocumentCounts.tenantId, set: { documents: 0 } }),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    // The runtime role may delete only its own counter, and only at 0 (erasure, drizzle/0009): A's
    // at 2 stays and B's is out of reach.
    const [deleted] = await withTenant(a.ctx, testSettings(), ({ db }) => [
      db.delete(tenantDocumentCounts).returning(),
    ]);
    expect(deleted).toEqual([]);
    expect(await counterAsAdmin(b.tenantId)).toBe(2);
    expect(await counterAsAdmin(a.tenantId)).toBe(2);
  });

  it('a second wall: with documents’ WITH CHECK broken, A’s row planted in B still fails on B’s counter', async () => {
    const error = await withBrokenWall(
      ['alter policy documents_tenant_insert on documents with check (true)'],
      async ({ client, enter }) => {
        await enter(a.ctx);
        await client.query(
          `insert into documents (tenant_id, project_id, title, content_type) values ($1, $2, 'planted', 'a')`,
          [b.tenantId, b.projectIds[0]],
        );
      },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: '42501', message: expect.stringContaining('tenant_document_counts') });
    expect(await countAsAdmin('documents', b.tenantId)).toBe(2);
  });

  it('break it: with RLS disabled on the counter, A reads B’s count', async () => {
    const seen = await withBrokenWall(
      ['alter table tenant_document_counts disable row level security'],
      async ({ client, enter }) => {
        await enter(a.ctx);
        return (await client.query('select tenant_id from tenant_document_counts where tenant_id = $1', [b.tenantId]))
          .rows;
      },
    );
    expect(seen).toEqual([{ tenant_id: b.tenantId }]);
  });
});

describe('the document triggers', () => {
  it('count the runtime role’s inserts and deletes in its own tenant only', async () => {
    const c = await createTenant(0);
    const records = [newDocumentRecord(c.projectIds[0], 'one'), newDocumentRecord(c.projectIds[1], 'two')];
    await withTenant(c.ctx, testSettings(), ({ ctx, db }) => [
      db.insert(documents).values(records.map((record) => ({ ...record, tenantId: ctx.tenantId }))),
    ]);
    expect(await counterAsAdmin(c.tenantId)).toBe(4);
    await withTenant(c.ctx, testSettings(), (scope) => [deleteDocumentRecord(scope, records[0]?.id as string)]);
    expect(await counterAsAdmin(c.tenantId)).toBe(3);
    expect(await counterAsAdmin(a.tenantId)).toBe(2);
    // Deleting a project cascades to its documents; the counter follows (as the admin here).
    await admin().query('delete from projects where tenant_id = $1 and id = $2', [c.tenantId, c.projectIds[1]]);
    expect(await counterAsAdmin(c.tenantId)).toBe(await countAsAdmin('documents', c.tenantId));
  });

  it('a tenant’s first document creates its counter row', async () => {
    const d = await createTenant(0);
    await admin().query('delete from documents where tenant_id = $1', [d.tenantId]);
    await admin().query('delete from tenant_document_counts where tenant_id = $1', [d.tenantId]);
    await withTenant(withMax(d.ctx, 1), testSettings(), (scope) => [
      documentLimit(scope),
      insertDocumentRecord(scope, newDocumentRecord(d.projectIds[0], 'first')),
    ]);
    expect(await counterAsAdmin(d.tenantId)).toBe(1);
  });

  it('refuse a batch that would pass app.max_documents: nothing of it is stored', async () => {
    const e = await createTenant(0); // 2 documents
    const record = newDocumentRecord(e.projectIds[0], 'over');
    const error = await withTenant(withMax(e.ctx, 2), testSettings(), (scope) => [
      documentLimit(scope),
      insertDocumentRecord(scope, record),
      recordAuditEvent(scope, { action: 'document.create', targetType: 'document', targetId: record.id }),
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: '23514', constraint: 'tenant_document_counts_max_documents' });
    expect(isDocumentLimitReached(error)).toBe(true);
    expect(await countAsAdmin('documents', e.tenantId)).toBe(2);
    expect(await countAsAdmin('audit_events', e.tenantId)).toBe(0);
    expect(await counterAsAdmin(e.tenantId)).toBe(2);

    // One statement of two rows with one slot left is refused whole.
    const two = [newDocumentRecord(e.projectIds[0], 'x'), newDocumentRecord(e.projectIds[0], 'y')];
    await expect(
      withTenant(withMax(e.ctx, 3), testSettings(), ({ ctx, db }) => [
        db.execute(sql`select set_config('app.max_documents', ${String(ctx.limits.maxDocuments)}, true)`),
        db.insert(documents).values(two.map((r) => ({ ...r, tenantId: ctx.tenantId }))),
      ]),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await countAsAdmin('documents', e.tenantId)).toBe(2);

    await withTenant(withMax(e.ctx, 3), testSettings(), (scope) => [
      documentLimit(scope),
      insertDocumentRecord(scope, record),
    ]);
    expect(await counterAsAdmin(e.tenantId)).toBe(3);
  });

  it('break it: without the insert trigger, a batch at the limit inserts', async () => {
    const inserted = await withBrokenWall(
      ['drop trigger documents_count_inserted on documents'],
      async ({ client, enter }) => {
        await enter(a.ctx);
        await client.query("select set_config('app.max_documents', '2', true)");
        const { rowCount } = await client.query(
          `insert into documents (tenant_id, project_id, title, content_type) values ($1, $2, 'over', 'a')`,
          [a.tenantId, a.projectIds[0]],
        );
        return rowCount;
      },
    );
    expect(inserted).toBe(1);
    await expect(
      withBrokenWall([], async ({ client, enter }) => {
        await enter(a.ctx);
        await client.query("select set_config('app.max_documents', '2', true)");
        await client.query(
          `insert into documents (tenant_id, project_id, title, content_type) values ($1, $2, 'over', 'a')`,
          [a.tenantId, a.projectIds[0]],
        );
      }),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
