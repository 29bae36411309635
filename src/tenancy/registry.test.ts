// The registry's own invariants (the ones JSON Schema cannot state) and the demo file's agreement
// with the development seed: its hashes and public key are exactly those of local/dev-keys.ts.
import { describe, expect, it } from 'vitest';
import provisioning from '../../configs/tenants/provisioning.json' with { type: 'json' };
import { devApiKey, devJwtKeys } from '../../local/dev-keys.ts';
import { createTenantRegistry, RegistryError } from './registry.ts';

type Doc = typeof provisioning;
const copy = (): Doc => structuredClone(provisioning);

describe('createTenantRegistry', () => {
  it('indexes the demo tenants by id and slug, with key hashes as digests', () => {
    const registry = createTenantRegistry(provisioning);
    const acme = registry.bySlug('acme');
    expect(acme?.id).toBe(provisioning.tenants[0]?.id);
    expect(registry.byId(acme?.id ?? '')).toBe(acme);
    expect(registry.bySlug('ACME')).toBeUndefined();
    expect(registry.apiKeys().every((key) => key.sha256.length === 32)).toBe(true);
  });

  it.each([
    [
      'a duplicate tenant id',
      'tenants.1.id',
      (d: Doc) => ((d.tenants[1] as { id: string }).id = d.tenants[0]?.id ?? ''),
    ],
    ['a duplicate slug', 'tenants.1.slug', (d: Doc) => ((d.tenants[1] as { slug: string }).slug = 'acme')],
    [
      'a key id used twice',
      'tenants.1.apiKeys.0.id',
      (d: Doc) => ((d.tenants[1]?.apiKeys[0] as { id: string }).id = d.tenants[0]?.apiKeys[0]?.id ?? ''),
    ],
    [
      "a key granted another tenant's project",
      'tenants.1.apiKeys.0.projects',
      (d: Doc) => ((d.tenants[1]?.apiKeys[0] as { projects: unknown }).projects = [d.tenants[0]?.projects[0]?.id]),
    ],
    ['a schema violation', 'tenants.0.status', (d: Doc) => ((d.tenants[0] as { status: string }).status = 'paused')],
  ])('refuses %s with RegistryError naming %s', (_, field, change) => {
    const document = copy();
    change(document);
    expect(() => createTenantRegistry(document)).toThrow(RegistryError);
    expect(() => createTenantRegistry(document)).toThrow(field);
  });
});

describe('demo tenants and the development seed', () => {
  it.each(provisioning.tenants.map((t) => [t.slug, t] as const))(
    '%s stores the hashes of its development keys',
    async (slug, t) => {
      for (const kind of ['publishable', 'secret'] as const) {
        const dev = await devApiKey(slug, kind);
        expect(t.apiKeys.find((key) => key.id === dev.keyId)).toMatchObject({ kind, hash: dev.hash, revoked: false });
      }
    },
  );

  it('globex verifies tokens with its development public key', async () => {
    const globex = provisioning.tenants.find((t) => t.slug === 'globex');
    expect(globex?.jwt?.publicJwk).toEqual((await devJwtKeys('globex')).publicJwk);
  });
});
