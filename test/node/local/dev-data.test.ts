// What `npm run dev` prints and writes to .bulkhead/dev.json about the demo tenants: ids, keys and
// the projects a request names with `projectId` (required for a key that reaches several).
import { describe, expect, it } from 'vitest';
import { demoTenants, describeDevTenants } from '../../../local/dev-data.ts';
import { devApiKey } from '../../../local/dev-keys.ts';
import { readProvisioning } from '../../../scripts/db/seeding.ts';
import type { Provisioning } from '../../../src/tenancy/registry-schema.ts';

describe('demoTenants', () => {
  it("lists each demo tenant's projects (id and name) from the registry", async () => {
    const provisioning = await readProvisioning();
    const tenants = await demoTenants(provisioning);
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) {
      const provisioned = provisioning.tenants.find((t) => t.id === tenant.id);
      expect(tenant.projects).toEqual(provisioned?.projects.map(({ id, name }) => ({ id, name })));
    }
    const acme = tenants.find((t) => t.slug === 'acme');
    expect(acme?.projects).toEqual([
      { id: '2a9ef623-4255-4149-a55e-77b0e60033b2', name: 'Help centre' },
      { id: '8233e7a3-faf1-4ffe-8c5a-5a455be46d39', name: 'Internal handbook' },
    ]);
    expect(acme?.keyProjects).toEqual({ publishable: ['2a9ef623-4255-4149-a55e-77b0e60033b2'], secret: 'all' });
  });

  it('leaves out tenants whose development keys are not live', async () => {
    const provisioning = await readProvisioning();
    const [first] = provisioning.tenants;
    if (!first) throw new Error('no tenants in the registry');
    const secret = await devApiKey(first.slug, 'secret');
    const revoked: Provisioning = {
      tenants: [
        { ...first, apiKeys: first.apiKeys.map((key) => (key.id === secret.keyId ? { ...key, revoked: true } : key)) },
      ],
    };
    expect(await demoTenants(revoked)).toEqual([]);
  });
});

describe('describeDevTenants', () => {
  it('prints every project id and name, and which key cannot reach a project', async () => {
    const lines = describeDevTenants(await demoTenants(await readProvisioning()));
    const text = lines.join('\n');
    expect(text).toContain('  tenant acme (');
    expect(text).toContain('2a9ef623-4255-4149-a55e-77b0e60033b2  Help centre\n');
    expect(text).toContain('8233e7a3-faf1-4ffe-8c5a-5a455be46d39  Internal handbook (secret key only)');
    expect(text).toContain('841a7dc9-5127-411b-9bf5-d0f22fd1ac0a  Product docs');
    expect(lines.filter((line) => line === '    projects: none').length).toBeGreaterThan(0);
  });

  it('says when there are no demo tenants', () => {
    expect(describeDevTenants([])).toEqual(['  no demo tenants yet (configs/tenants/provisioning.json not present)']);
  });
});
