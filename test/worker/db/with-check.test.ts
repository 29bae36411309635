// docs/threat-model.md T21: WITH CHECK. Inserting with B's tenant_id, moving a row from A to B, and an upsert
// colliding with B's row are refused, and nothing moves.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunks, documents } from '../../../src/db/schema/documents.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { testSettings } from '../helpers/settings.ts';
import { withBrokenWall } from './broken-wall.ts';
import { admin, countAsAdmin, createTenant, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

const RLS_REFUSED = { code: '42501' }; // new row violates row-level security policy

describe('WITH CHECK (docs/threat-model.md T21)', () => {
  it("an insert carrying B's tenant_id is refused and B gets nothing", async () => {
    const before = await countAsAdmin('documents', b.tenantId);
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db.insert(documents).values({ tenantId: b.tenantId, projectId: b.projectIds[0], title: 'x', contentType: 'a' }),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    expect(await countAsAdmin('documents', b.tenantId)).toBe(before);
  });

  it("an update moving A's row to B is refused and the row stays A's", async () => {
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db.update(documents).set({ tenantId: b.tenantId }).where(eq(documents.id, a.documentId)),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    // Without WHERE the UPDATE policy's WITH CHECK alone stands in the way.
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db.update(chunks).set({ tenantId: b.tenantId, projectId: b.projectIds[0], documentId: b.documentId }),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    const rows = await admin()`select tenant_id from documents where id = ${a.documentId}`;
    expect(rows).toEqual([{ tenant_id: a.tenantId }]);
    expect(await countAsAdmin('chunks', a.tenantId)).toBe(3);
  });

  it("an upsert aimed at B's row is refused; one colliding on B's unique value creates A's own row", async () => {
    const hijack = {
      tenantId: b.tenantId,
      projectId: b.projectIds[0],
      id: b.documentId,
      title: 'hijacked',
      contentType: 'a',
    };
    await expect(
      withTenant(a.ctx, testSettings(), ({ db }) => [
        db
          .insert(documents)
          .values(hijack)
          .onConflictDoUpdate({ target: [documents.tenantId, documents.id], set: { title: 'hijacked' } }),
      ]),
    ).rejects.toMatchObject(RLS_REFUSED);
    // Same external id as B's document, in A's own project: per-tenant uniqueness, no collision.
    const [[mine]] = await withTenant(a.ctx, testSettings(), ({ ctx, db }) => [
      db
        .insert(documents)
        .values({
          tenantId: ctx.tenantId,
          projectId: a.projectIds[0],
          externalId: b.externalId,
          title: 'mine',
          contentType: 'a',
        })
        .onConflictDoUpdate({
          target: [documents.tenantId, documents.projectId, documents.externalId],
          set: { title: sql`excluded.title` },
        })
        .returning(),
    ]);
    expect(mine?.tenantId).toBe(a.tenantId);
    const theirs = await admin()`select title from documents where id = ${b.documentId}`;
    expect(theirs).toEqual([{ title: b.canary }]);
  });

  it('break it: with WITH CHECK (true), A plants a row in B', async () => {
    const planted = await withBrokenWall(
      [
        'alter policy documents_tenant_insert on documents with check (true)',
        // The document counter is a second wall: its trigger would count the row in B's counter,
        // which A's context may not write (test/worker/db/document-counts.test.ts).
        'alter table documents disable trigger documents_count_inserted',
      ],
      async ({ client, enter }) => {
        await enter(a.ctx);
        await client.query(
          `insert into documents (tenant_id, project_id, title, content_type) values ($1, $2, 'planted', 'a')`,
          [b.tenantId, b.projectIds[0]],
        );
        await client.query('reset role');
        return (
          await client.query(`select count(*)::int as n from documents where tenant_id = $1 and title = 'planted'`, [
            b.tenantId,
          ])
        ).rows[0].n;
      },
    );
    expect(planted).toBe(1);
  });

  it('break it: an UPDATE policy with WITH CHECK (true) lets A move its rows into B', async () => {
    // Fresh tenants: C's chunks move under D's document, which has none (no unique collision).
    const [c, d] = await Promise.all([createTenant(), createTenant(0)]);
    const moved = await withBrokenWall(
      [
        'drop policy chunks_tenant_update on chunks',
        "create policy move_anywhere on chunks for update using (tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid)) with check (true)",
      ],
      async ({ client, enter }) => {
        await enter(c.ctx);
        // No WHERE or RETURNING: a statement that reads no column is checked by UPDATE policies
        // alone (one that does must also pass the SELECT policy: a second wall, left standing).
        const sql = 'update chunks set tenant_id = $1, project_id = $2, document_id = $3';
        return (await client.query(sql, [d.tenantId, d.projectIds[0], d.documentId])).rowCount;
      },
    );
    expect(moved).toBe(3);
  });
});
