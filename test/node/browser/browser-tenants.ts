// Two tenants of the browser tests' own, written into the test run's database through the seeding
// path the registry uses (scripts/db/seeding.ts), so the run changes no demo tenant: tenant A
// streams and cites on http://localhost:5173 (an origin the bucket's CORS policy allows, for the
// upload), tenant B lives on https://widget.globex.example (not one of A's origins).
import { seed } from '../../../scripts/db/seeding.ts';
import { mintApiKey } from '../../../src/tenancy/api-key-format.ts';
import type { Provisioning } from '../../../src/tenancy/registry-schema.ts';

export interface BrowserTenant {
  id: string;
  slug: string;
  origin: string;
  projectId: string;
  publishableKey: string;
  secretKey: string;
  /** A string only this tenant's documents hold. */
  canary: string;
}

const LIMITS = { requestsPerMinute: 6000, burst: 1000, maxDocuments: 100, maxUploadBytes: 1_000_000, maxTopK: 10 };

async function browserTenant(origin: string, features: Record<string, boolean>) {
  const id = crypto.randomUUID();
  const slug = `w${id.slice(0, 8)}`;
  const projectId = crypto.randomUUID();
  const [publishable, secret] = await Promise.all([mintApiKey('publishable'), mintApiKey('secret')]);
  const tenant: BrowserTenant = {
    id,
    slug,
    origin,
    projectId,
    publishableKey: publishable.key,
    secretKey: secret.key,
    canary: `CANARY${id.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
  };
  const provisioned = {
    id,
    slug,
    name: `Browser test ${slug}`,
    status: 'active' as const,
    allowedOrigins: [origin],
    features,
    limits: LIMITS,
    projects: [{ id: projectId, name: 'Help centre' }],
    apiKeys: [
      {
        id: publishable.keyId,
        kind: 'publishable' as const,
        hash: publishable.hash,
        scopes: ['chat', 'retrieval'],
        projects: [projectId],
        revoked: false,
      },
      {
        id: secret.keyId,
        kind: 'secret' as const,
        hash: secret.hash,
        scopes: ['chat', 'retrieval', 'documents:read', 'documents:write'],
        projects: 'all' as const,
        revoked: false,
      },
    ],
  };
  return { tenant, provisioned };
}

export async function provisionBrowserTenants(adminUrl: string) {
  const a = await browserTenant('http://localhost:5173', {
    chat: true,
    citations: true,
    uploads: true,
    streaming: true,
  });
  const b = await browserTenant('https://widget.globex.example', { chat: true, citations: true, streaming: true });
  await seed(adminUrl, { tenants: [a.provisioned, b.provisioned] } as Provisioning);
  return { a: a.tenant, b: b.tenant };
}
