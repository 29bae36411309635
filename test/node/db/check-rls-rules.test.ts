// npm run check:rls, rule by rule: a freshly migrated database passes; each deliberately broken
// migration (applied in a transaction on a scratch database, then rolled back) fails the guard,
// which names the object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../../scripts/check-rls-catalogue.ts';
import { DEFAULT_OPTIONS, type Violation } from '../../../scripts/check-rls-rules.ts';
import { createScratchDatabase, inRolledBackTransaction, type ScratchDatabase } from './scratch-database.ts';

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchDatabase('check_rls');
});
afterAll(() => scratch?.drop());

/** The violations the guard reports once `migration` is applied; `runtimeRole` for role-attribute rules. */
function violationsAfter(migration: string[], runtimeRole = DEFAULT_OPTIONS.runtimeRole): Promise<Violation[]> {
  return inRolledBackTransaction(scratch.url, migration, (client) =>
    checkCatalogue(async (text, params) => (await client.query(text, params)).rows, {
      ...DEFAULT_OPTIONS,
      runtimeRole,
    }),
  );
}

const SCRATCH_ROLE = 'check_rls_runtime';

describe('check:rls catalogue rules', () => {
  it('passes a freshly migrated database', async () => {
    expect(await violationsAfter([])).toEqual([]);
  });

  // [rule, broken migration, violations expected, runtime role]. The role is named only where it is
  // a superuser, an owner or a member of the owner: those also trip the privilege rules (TRUNCATE,
  // CREATE), so only there may the guard report more than the violations listed.
  it.each<[string, string[], Partial<Violation>[], string?]>([
    ['rls-enabled', ['alter table documents disable row level security'], [{ object: 'documents' }]],
    ['rls-forced', ['alter table chunks no force row level security'], [{ object: 'chunks' }]],
    [
      'policy-per-command',
      ['drop policy messages_tenant_update on messages'],
      [{ object: 'messages', detail: 'no permissive UPDATE policy applies to the runtime role' }],
    ],
    [
      'policy-per-command',
      [
        'drop policy documents_tenant_select on documents',
        'create policy owner_only on documents for select to bulkhead_owner using (true)',
      ],
      [{ object: 'documents', detail: 'no permissive SELECT policy applies to the runtime role' }],
    ],
    [
      'policy-tenant-predicate',
      ['create policy open_door on retrievals for select using (true)'],
      [{ object: 'open_door on retrievals' }],
    ],
    [
      'policy-initplan',
      [
        'drop policy conversations_tenant_select on conversations',
        "create policy per_row on conversations for select using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)",
      ],
      [{ object: 'per_row on conversations' }],
    ],
    [
      'foreign-key-tenant',
      [
        'alter table chunks add constraint chunks_swapped_fkey foreign key (tenant_id, document_id) references documents (id, tenant_id)',
      ],
      [{ object: 'chunks_swapped_fkey on chunks' }],
    ],
    [
      'foreign-key-tenant',
      [
        'alter table documents add constraint documents_id_key unique (id)',
        'alter table chunks add constraint chunks_document_plain_fkey foreign key (document_id) references documents (id)',
      ],
      [{ object: 'chunks_document_plain_fkey on chunks' }, { rule: 'unique-tenant', object: 'documents_id_key' }],
    ],
    [
      'unique-tenant',
      ['create unique index documents_title_global on documents (title)'],
      [{ object: 'documents_title_global' }],
    ],
    [
      'runtime-role',
      [`create role ${SCRATCH_ROLE} superuser bypassrls`],
      [{ object: SCRATCH_ROLE, detail: 'is SUPERUSER, has BYPASSRLS' }],
      SCRATCH_ROLE,
    ],
    [
      'runtime-role-owns',
      ['alter table api_keys owner to bulkhead_app'],
      [{ object: 'table api_keys' }],
      'bulkhead_app',
    ],
    ['runtime-role-truncate', ['grant truncate on chunks to bulkhead_app'], [{ object: 'chunks' }]],
    ['runtime-role-create', ['grant create on schema public to bulkhead_app'], [{ object: 'public' }]],
    [
      'runtime-role-membership',
      [`create role ${SCRATCH_ROLE} in role bulkhead_owner`],
      [{ object: 'bulkhead_owner' }],
      SCRATCH_ROLE,
    ],
    [
      'view-security-invoker',
      ['create view chunk_texts as select * from chunks', 'grant select on chunk_texts to bulkhead_app'],
      [{ object: 'chunk_texts' }],
    ],
    [
      'definer-search-path',
      [
        'create function public.peek() returns bigint language sql security definer as $$ select count(*) from public.chunks $$',
      ],
      [{ object: 'peek()' }, { rule: 'definer-allow-list', object: 'peek()' }],
    ],
    [
      'definer-allow-list',
      [
        'create function public.peek() returns bigint language sql security definer set search_path = pg_catalog as $$ select count(*) from public.chunks $$',
      ],
      [{ object: 'peek()' }],
    ],
  ])('%s: a broken migration fails the guard, naming the object', async (rule, migration, expected, runtimeRole) => {
    const violations = await violationsAfter(migration, runtimeRole);
    if (runtimeRole === undefined) expect(violations).toHaveLength(expected.length);
    expect(violations).toEqual(expect.arrayContaining(expected.map((v) => expect.objectContaining({ rule, ...v }))));
  });

  it('reports a missing runtime role instead of passing', async () => {
    expect(await violationsAfter([], 'no_such_role')).toEqual([expect.objectContaining({ rule: 'runtime-role' })]);
  });
});
