// npm run db:seed: the provisioning file's tenants, projects and key hashes land in Postgres through
// RLS, the demo keys resolve through bulkhead_auth.resolve_api_key, and a second run changes nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devApiKey } from '../../../local/dev-keys.ts';
import { readProvisioning, seed } from '../../../scripts/db/seeding.ts';
import type { Provisioning } from '../../../src/tenancy/registry-schema.ts';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

let scratch: ScratchDatabase;
let provisioning: Provisioning;
let client: pg.Client;
beforeAll(async () => {
  scratch = await createScratchDatabase('seed');
  provisioning = await readProvisioning();
  client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await scratch?.drop();
});

const count = async (table: string) => (await client.query(`select count(*)::int as n from ${table}`)).rows[0].n;

describe('db:seed', () => {
  it('writes every tenant, project and key, then a second run changes nothing', async () => {
    const keys = provisioning.tenants.flatMap((t) => t.apiKeys);
    expect(await seed(scratch.url, provisioning)).toBeGreaterThan(0);
    expect(await count('tenants')).toBe(provisioning.tenants.length);
    expect(await count('projects')).toBe(provisioning.tenants.flatMap((t) => t.projects).length);
    expect(await count('api_keys')).toBe(keys.length);
    const snapshot = (await client.query('select * from api_keys order by lookup_id')).rows;
    expect(await seed(scratch.url, provisioning)).toBe(0);
    expect((await client.query('select * from api_keys order by lookup_id')).rows).toEqual(snapshot);
  });

  it('the demo keys resolve to their tenant with the stored hash; revoked keys do not resolve', async () => {
    const acme = provisioning.tenants.find((t) => t.slug === 'acme');
    const publishable = await devApiKey('acme', 'publishable');
    const { rows } = await client.query('select * from bulkhead_auth.resolve_api_key($1)', [publishable.keyId]);
    expect(rows).toEqual([
      expect.objectContaining({
        tenant_id: acme?.id,
        kind: 'publishable',
        secret_hash: publishable.hash,
        all_projects: false,
        project_ids: [acme?.projects[0]?.id],
      }),
    ]);
    const revoked = acme?.apiKeys.find((key) => key.revoked);
    expect(revoked).toBeDefined();
    expect((await client.query('select * from bulkhead_auth.resolve_api_key($1)', [revoked?.id])).rows).toEqual([]);
  });
});
