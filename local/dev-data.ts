// Migrations and demo tenants for `npm run dev`: migrate, seed configs/tenants/provisioning.json,
// and list each tenant whose keys are the public development keys (local/dev-keys.ts), so
// they can be printed. Tenants with real keys are seeded but never printed.
import { migrate } from '../scripts/db/migrations.ts';
import { readProvisioning, seed } from '../scripts/db/seeding.ts';
import type { ProvisionedTenant } from '../src/tenancy/registry-schema.ts';
import { devApiKey } from './dev-keys.ts';

export interface DevTenant {
  slug: string;
  id: string;
  publishableKey: string;
  secretKey: string;
  allowedOrigins: string[];
}

export async function prepareDevData(adminUrl: string): Promise<DevTenant[]> {
  await migrate(adminUrl);
  const provisioning = await readProvisioning();
  await seed(adminUrl, provisioning);
  const tenants = await Promise.all(provisioning.tenants.map(demoTenant));
  return tenants.filter((tenant) => tenant !== undefined);
}

async function demoTenant(tenant: ProvisionedTenant): Promise<DevTenant | undefined> {
  const live = (keyId: string) => tenant.apiKeys.some((key) => key.id === keyId && !key.revoked);
  const publishable = await devApiKey(tenant.slug, 'publishable');
  const secret = await devApiKey(tenant.slug, 'secret');
  if (!live(publishable.keyId) || !live(secret.keyId)) return undefined;
  return {
    slug: tenant.slug,
    id: tenant.id,
    publishableKey: publishable.key,
    secretKey: secret.key,
    allowedOrigins: tenant.allowedOrigins,
  };
}
