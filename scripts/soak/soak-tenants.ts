// The soak's tenants: a provisioning document in configs/tenants' format (hashed keys, one project,
// a widget origin, the given rate limit) and, beside it, what the traffic needs to call as each
// tenant (its keys in clear, its canary). Seeded with scripts/db/seeding.ts seed() like any tenant.
import { mintApiKey } from '../../src/tenancy/api-key-format.ts';
import type { Provisioning } from '../../src/tenancy/registry-schema.ts';

export interface SoakTenant {
  id: string;
  slug: string;
  origin: string;
  projectId: string;
  secretKey: string;
  publishableKey: string;
  /** Planted in every document it ingests: must never reach another tenant. */
  canary: string;
  requestsPerMinute: number;
  burst: number;
}

export interface RateLimit {
  requestsPerMinute: number;
  burst: number;
}

export async function makeSoakTenants(count: number, limit: (index: number) => RateLimit) {
  const run = crypto.randomUUID().slice(0, 6);
  const tenants: SoakTenant[] = [];
  const entries = [];
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID();
    const slug = `soak-${run}-${String(i).padStart(3, '0')}`;
    const [secret, publishable] = [await mintApiKey('secret'), await mintApiKey('publishable')];
    const tenant: SoakTenant = {
      id,
      slug,
      origin: `https://${slug}.example`,
      projectId: crypto.randomUUID(),
      secretKey: secret.key,
      publishableKey: publishable.key,
      canary: `soakcanary${id.replace(/-/g, '')}`,
      ...limit(i),
    };
    tenants.push(tenant);
    entries.push({
      id,
      slug,
      name: `Soak ${slug}`,
      status: 'active',
      allowedOrigins: [tenant.origin],
      features: { chat: true, uploads: true, citations: true },
      limits: { ...limit(i), maxDocuments: 100_000, maxUploadBytes: 1_000_000, maxTopK: 20 },
      projects: [{ id: tenant.projectId, name: 'Soak' }],
      apiKeys: [
        {
          id: secret.keyId,
          kind: 'secret',
          hash: secret.hash,
          scopes: ['chat', 'retrieval', 'documents:read', 'documents:write'],
          projects: 'all',
          revoked: false,
        },
        {
          id: publishable.keyId,
          kind: 'publishable',
          hash: publishable.hash,
          scopes: ['chat', 'retrieval'],
          projects: [tenant.projectId],
          revoked: false,
        },
      ],
    });
  }
  return { tenants, provisioning: { tenants: entries } as unknown as Provisioning };
}
