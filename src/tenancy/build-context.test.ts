import { describe, expect, it } from 'vitest';
import provisioning from '../../configs/tenants/provisioning.json' with { type: 'json' };
import { buildTenantContext } from './build-context.ts';
import { toTenantId } from './context.ts';
import type { StoredApiKey } from './key-store.ts';
import { createTenantRegistry } from './registry.ts';

const acme = createTenantRegistry(provisioning).bySlug('acme');
if (!acme) throw new Error('demo tenant acme missing');
const [help, handbook] = acme.projectIds as [string, string];
const key = (kind: StoredApiKey['kind'], scopes: StoredApiKey['scopes'], projectIds: StoredApiKey['projectIds']) =>
  ({
    keyId: 'k',
    tenantId: acme.id,
    kind,
    sha256: new Uint8Array(32),
    scopes,
    projectIds,
    revoked: false,
  }) as StoredApiKey;

describe('buildTenantContext', () => {
  it('gives nothing without a principal', () => {
    expect(buildTenantContext(acme, {})).toBeUndefined();
  });

  it('caps a publishable key to chat and retrieval whatever its row says', () => {
    const context = buildTenantContext(acme, { key: key('publishable', ['admin', 'chat'], 'all') });
    expect([...(context?.scopes ?? [])]).toEqual(['chat']);
  });

  it("narrows a key's scopes and projects by the user's role and projects", () => {
    const user = { subject: 'u', tenantId: acme.id, scopes: ['chat', 'retrieval'] as const, projectIds: [handbook] };
    const context = buildTenantContext(acme, { key: key('secret', ['chat', 'admin'], [help, handbook]), user });
    expect(context?.principal).toEqual({ kind: 'user', id: 'u' });
    expect([...(context?.scopes ?? [])]).toEqual(['chat']);
    expect(context?.projectIds).toEqual([handbook]);
  });

  it("drops projects that are not the tenant's", () => {
    const foreign = toTenantId('50000000-0000-4000-8000-000000000001');
    const user = { subject: 'u', tenantId: acme.id, scopes: ['chat'] as const, projectIds: [foreign, help] };
    expect(buildTenantContext(acme, { user })?.projectIds).toEqual([help]);
  });
});
