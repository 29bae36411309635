// docs/threat-model.md T22: covert channels. A's row cannot reference B's row (composite foreign keys), a value
// unique in B is free in A (per-tenant UNIQUE), and ids are random UUIDs that reveal nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertChunks } from '../../../src/db/repositories/chunks.ts';
import { insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { testSettings } from '../helpers/settings.ts';
import { errorOf, withBrokenWall } from './broken-wall.ts';
import { admin, createTenant, newDocumentRecord, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

/** A's attempt to hang a chunk under `documentId` in A's own project; the error code or 'ok'. */
async function referenceFromA(documentId: string): Promise<string> {
  const error = await errorOf(
    withTenant(a.ctx, testSettings(), (s) => [
      upsertChunks(s, a.projectIds[0], documentId, [{ chunkIndex: 99, content: 'x' }]),
    ]),
  );
  return error?.code ?? 'ok';
}

describe('covert channels (docs/threat-model.md T22)', () => {
  it("referencing B's document answers exactly like referencing one that does not exist", async () => {
    expect(await referenceFromA(b.documentId)).toBe('23503');
    expect(await referenceFromA(crypto.randomUUID())).toBe('23503');
    expect(await referenceFromA(a.documentId)).toBe('ok');
  });

  it("a value unique in B is accepted in A: B's uniqueness says nothing to A", async () => {
    const [[created]] = await withTenant(a.ctx, testSettings(), (s) => [
      insertDocumentRecord(
        s,
        newDocumentRecord(a.projectIds[0], 'same ext id', { contentType: 'a', externalId: b.externalId }),
      ),
    ]);
    expect(created?.tenantId).toBe(a.tenantId);
  });

  it('every tenant table gets random v4 UUID keys, never sequence values', async () => {
    const columns = await admin()`
      select c.table_name, c.column_default from information_schema.columns c
      where c.table_schema = 'public' and c.column_name = 'id'
        and (c.table_name = 'tenants' or c.table_name in (
          select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'))
      order by 1`;
    expect(columns.length).toBe(10); // jobs included; the other tables are keyed by their references
    for (const column of columns) expect(column.column_default, column.table_name).toBe('gen_random_uuid()');
    const sequences =
      await admin()`select sequence_name from information_schema.sequences where sequence_schema = 'public'`;
    expect(sequences).toEqual([]);
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(a.chunkIds.every((id) => v4.test(id))).toBe(true);
  });

  it("break it: with a plain foreign key on document_id, A learns that B's document exists", async () => {
    const codes = await withBrokenWall(
      [
        'alter table chunks drop constraint chunks_document_fkey',
        'alter table documents add constraint documents_id_key unique (id)',
        'alter table chunks add constraint chunks_document_plain_fkey foreign key (document_id) references documents (id)',
      ],
      async ({ client, enter }) => {
        await enter(a.ctx);
        const attempt = async (documentId: string) => {
          await client.query('savepoint probe');
          const insert =
            'insert into chunks (tenant_id, project_id, document_id, chunk_index, content) values ($1, $2, $3, 0, $4)';
          const error = await errorOf(client.query(insert, [a.tenantId, a.projectIds[0], documentId, 'probe']));
          await client.query('rollback to savepoint probe');
          return error?.code ?? 'ok';
        };
        return { theirs: await attempt(b.documentId), missing: await attempt(crypto.randomUUID()) };
      },
    );
    expect(codes).toEqual({ theirs: 'ok', missing: '23503' }); // the answers differ: existence leaks
  });

  it("break it: with a global UNIQUE on external_id, A learns B's value exists", async () => {
    await admin()`delete from documents where tenant_id = ${a.tenantId} and external_id = ${b.externalId}`;
    const codes = await withBrokenWall(
      // Unique across tenants A and B only, so other test files' rows cannot get in the way.
      [
        `create unique index documents_external_global on documents (external_id) where tenant_id in ('${a.tenantId}', '${b.tenantId}')`,
      ],
      async ({ client, enter }) => {
        await enter(a.ctx);
        const attempt = async (externalId: string) => {
          await client.query('savepoint probe');
          const insert =
            "insert into documents (tenant_id, project_id, external_id, title, content_type) values ($1, $2, $3, 't', 'a')";
          const error = await errorOf(client.query(insert, [a.tenantId, a.projectIds[1], externalId]));
          await client.query('rollback to savepoint probe');
          return error?.code ?? 'ok';
        };
        return { theirs: await attempt(b.externalId), fresh: await attempt(`ext-${crypto.randomUUID()}`) };
      },
    );
    expect(codes).toEqual({ theirs: '23505', fresh: 'ok' });
  });
});
