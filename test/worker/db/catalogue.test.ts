// docs/threat-model.md T18: every table with tenant_id has RLS enabled and forced and a policy per command;
// the runtime role is not superuser, has no BYPASSRLS and owns nothing. Checked as the runtime role
// through the Neon driver, with the same rules `npm run check:rls` runs.
import { describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../../scripts/check-rls-catalogue.ts';
import type { Query } from '../../../scripts/check-rls-rules.ts';
import { httpSql } from '../../../src/db/neon-client.ts';
import { testSettings } from '../helpers/settings.ts';
import { withBrokenWall } from './broken-wall.ts';

const TENANT_TABLES = [
  'api_key_projects',
  'api_keys',
  'audit_events',
  'chunks',
  'conversations',
  'documents',
  'idempotency_keys',
  'jobs',
  'messages',
  'projects',
  'retention_settings',
  'retrievals',
  'tenant_document_counts',
  'user_project_roles',
];

const asRuntimeRole: Query = (text, params) => httpSql(testSettings()).query(text, params);

describe('catalogue (docs/threat-model.md T18)', () => {
  it('the guard finds nothing wrong, seen from the runtime role', async () => {
    expect(await checkCatalogue(asRuntimeRole)).toEqual([]);
  });

  it('every tenant table is enabled, forced and has a policy for each command', async () => {
    const rows = (await asRuntimeRole(
      `select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
         array(select distinct p.polcmd::text from pg_policy p where p.polrelid = c.oid and p.polpermissive
               and 0::oid = any (p.polroles) order by 1) as commands
       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
       where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace order by 1`,
      [],
    )) as Array<{ name: string; enabled: boolean; forced: boolean; commands: string[] }>;
    expect(rows.map((r) => r.name)).toEqual(TENANT_TABLES);
    for (const row of rows) expect(row).toMatchObject({ enabled: true, forced: true, commands: ['a', 'd', 'r', 'w'] });
  });

  it('the runtime role is what the Worker connects as, and is neither superuser, BYPASSRLS nor an owner', async () => {
    const [role] = (await asRuntimeRole(
      `select current_user as name, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
         (select count(*)::int from pg_shdepend d where d.refobjid = r.oid and d.deptype = 'o') as owned
       from pg_roles r where r.rolname = current_user`,
      [],
    )) as Array<Record<string, unknown>>;
    expect(role).toEqual({
      name: 'bulkhead_app',
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      owned: 0,
    });
  });

  it('break it: without FORCE, without a policy, or with an owning runtime role, the guard names the object', async () => {
    const violations = await withBrokenWall(
      [
        'alter table chunks no force row level security',
        'drop policy messages_tenant_delete on messages',
        'alter table retrievals owner to bulkhead_app',
      ],
      ({ client }) => checkCatalogue(async (text, params) => (await client.query(text, params)).rows),
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'rls-forced', object: 'chunks' }),
        expect.objectContaining({ rule: 'policy-per-command', object: 'messages' }),
        expect.objectContaining({ rule: 'runtime-role-owns', object: 'table retrievals' }),
      ]),
    );
  });
});
