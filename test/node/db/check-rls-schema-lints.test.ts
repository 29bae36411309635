// The RLS guard's schema lints (scripts/check-rls-schema-lints.ts), rule by rule: a freshly
// migrated database passes; the schema as it was before drizzle/0004 fails foreign-key-index on
// exactly the two keys splinter named; each deliberately broken migration (in a transaction on a
// scratch database, rolled back) is reported by name, and each fix clears it.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RULES, checkCatalogue, WALL_RULES } from '../../../scripts/check-rls-catalogue.ts';
import { DEFAULT_OPTIONS, type Violation } from '../../../scripts/check-rls-rules.ts';
import { ALLOWED_POLICY_OVERLAPS, schemaLintRules } from '../../../scripts/check-rls-schema-lints.ts';
import { MIGRATIONS_DIR } from '../../../scripts/db/migrations.ts';
import { createScratchDatabase, inRolledBackTransaction, type ScratchDatabase } from './scratch-database.ts';

const cleanup: Array<() => Promise<unknown>> = [];
let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchDatabase('check_lints');
  cleanup.push(scratch.drop);
});
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

const lintsOf = (url: string, migration: string[] = []): Promise<Violation[]> =>
  inRolledBackTransaction(url, migration, (client) =>
    checkCatalogue(async (text, params) => (await client.query(text, params)).rows, DEFAULT_OPTIONS, schemaLintRules),
  );

const TENANT = `tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid)`;
// A new reference from messages to chunks, (tenant, chunk), with no index of its own yet.
const CHUNK_REFERENCE = [
  'alter table messages add column chunk_id uuid',
  'alter table messages add constraint messages_chunk_fkey foreign key (tenant_id, chunk_id) references chunks (tenant_id, id)',
];
const UNINDEXED_CHUNK_REFERENCE = {
  rule: 'foreign-key-index',
  object: 'messages_chunk_fkey on messages',
  detail: 'no index leads with its columns (tenant_id, chunk_id): each delete in chunks scans messages',
};

describe('check:rls schema lints', () => {
  it('npm run check:rls runs them with the walls', () => {
    expect(ALL_RULES).toEqual([...WALL_RULES, ...schemaLintRules]);
  });

  it('pass a freshly migrated database', async () => {
    expect(await lintsOf(scratch.url)).toEqual([]);
  });

  it('the schema before drizzle/0004 fails foreign-key-index on exactly the two keys splinter named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'check-lints-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const journalFile = join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.filter((entry) => entry.tag !== '0004_fk_covering_indexes');
    await writeFile(journalFile, JSON.stringify(journal));
    const before = await createScratchDatabase('check_lints_before', dir);
    cleanup.push(before.drop);
    expect(await lintsOf(before.url)).toEqual([
      {
        rule: 'foreign-key-index',
        object: 'api_key_projects_project_fkey on api_key_projects',
        detail:
          'no index leads with its columns (tenant_id, project_id): each delete in projects scans api_key_projects',
      },
      {
        rule: 'foreign-key-index',
        object: 'retrievals_conversation_fkey on retrievals',
        detail:
          'no index leads with its columns (tenant_id, project_id, conversation_id): each delete in conversations scans retrievals',
      },
    ]);
  });

  it('foreign-key-index: dropping either new index is reported again', async () => {
    expect(await lintsOf(scratch.url, ['drop index api_key_projects_tenant_project_idx'])).toEqual([
      expect.objectContaining({
        rule: 'foreign-key-index',
        object: 'api_key_projects_project_fkey on api_key_projects',
      }),
    ]);
    expect(await lintsOf(scratch.url, ['drop index retrievals_tenant_project_conversation_idx'])).toEqual([
      expect.objectContaining({ rule: 'foreign-key-index', object: 'retrievals_conversation_fkey on retrievals' }),
    ]);
  });

  it('foreign-key-index: a new key needs an index led by its columns, in any order', async () => {
    const withIndex = (sql: string) => lintsOf(scratch.url, [...CHUNK_REFERENCE, sql]);
    expect(await lintsOf(scratch.url, CHUNK_REFERENCE)).toEqual([UNINDEXED_CHUNK_REFERENCE]);
    expect(await withIndex('create index on messages (chunk_id, tenant_id)')).toEqual([]);
    expect(await withIndex('create index on messages (tenant_id, chunk_id, created_at)')).toEqual([]);
    expect(await withIndex('create index on messages (tenant_id, chunk_id) where chunk_id is not null')).toEqual([]);
    // Not covering: the key's columns not leading, only one of them, or a partial index on another condition.
    for (const sql of [
      'create index on messages (tenant_id, created_at, chunk_id)',
      'create index on messages (chunk_id)',
      "create index on messages (tenant_id, chunk_id) where role = 'user'",
      'create index on messages (tenant_id) include (chunk_id)',
    ]) {
      expect(await withIndex(sql), sql).toEqual([UNINDEXED_CHUNK_REFERENCE]);
    }
  });

  it('permissive-policy-overlap: a second permissive policy for the runtime role is reported per command', async () => {
    expect(
      await lintsOf(scratch.url, [`create policy documents_also on documents for select using (${TENANT})`]),
    ).toEqual([
      {
        rule: 'permissive-policy-overlap',
        object: 'SELECT for bulkhead_app on documents',
        detail:
          '2 permissive policies apply (documents_also, documents_tenant_select), each evaluated per row: merge them into one',
      },
    ]);
    const forAll = await lintsOf(scratch.url, [`create policy chunks_all on chunks using (${TENANT})`]);
    expect(forAll.map((v) => v.object)).toEqual(
      ['DELETE', 'INSERT', 'SELECT', 'UPDATE'].map((command) => `${command} for bulkhead_app on chunks`),
    );
    // A restrictive policy narrows instead of adding a predicate to OR: not an overlap.
    expect(
      await lintsOf(scratch.url, [
        `create policy documents_narrow on documents as restrictive for select using (true)`,
      ]),
    ).toEqual([]);
  });

  it('permissive-policy-overlap: the key resolver’s allowed overlaps are exact, one more policy is reported', async () => {
    expect(ALLOWED_POLICY_OVERLAPS.map((o) => `${o.command} for ${o.role} on ${o.table}`)).toEqual([
      'SELECT for bulkhead_key_resolver on tenants',
      'SELECT for bulkhead_key_resolver on api_keys',
      'SELECT for bulkhead_key_resolver on api_key_projects',
    ]);
    const violations = await lintsOf(scratch.url, [
      'create policy tenants_resolver_extra on tenants for select to bulkhead_key_resolver using (true)',
    ]);
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'permissive-policy-overlap',
        object: 'SELECT for bulkhead_key_resolver on tenants',
        detail: expect.stringContaining('tenants_key_resolution, tenants_resolver_extra, tenants_tenant_select'),
      }),
    ]);
  });
});
