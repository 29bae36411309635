// Migrations and demo tenants for `npm run dev`: migrate, seed configs/tenants/provisioning.json,
// and list each tenant whose keys are the public development keys (local/dev-keys.ts), so
// they can be printed. Tenants with real keys are seeded but never printed.
import { migrate } from '../scripts/db/migrations.ts';
import { applyProvisioning, loadProvisioning } from '../scripts/db/provisioning-apply.ts';
import type { ProvisionedTenant, Provisioning } from '../src/tenancy/registry-schema.ts';
import { devApiKey } from './dev-keys.ts';

export interface DevProject {
  id: string;
  name: string;
}

export interface DevTenant {
  slug: string;
  id: string;
  publishableKey: string;
  secretKey: string;
  allowedOrigins: string[];
  /** The tenant's projects: `projectId` is required on requests from a key that reaches several. */
  projects: DevProject[];
  /** Projects each development key reaches: 'all', or the ids it is limited to. */
  keyProjects: { publishable: 'all' | string[]; secret: 'all' | string[] };
}

export async function prepareDevData(adminUrl: string): Promise<DevTenant[]> {
  await migrate(adminUrl);
  const provisioning = await loadProvisioning();
  // What `npm run tenants:apply -- --apply` does: validate, diff, apply (idempotent).
  const { changes } = await applyProvisioning(adminUrl, provisioning, { apply: true });
  for (const line of changes.filter((change) => !change.startsWith(' '))) console.log(`tenants:apply ${line}`);
  return demoTenants(provisioning);
}

/** The tenants of `provisioning` whose live keys include the public development keys. */
export async function demoTenants(provisioning: Provisioning): Promise<DevTenant[]> {
  const tenants = await Promise.all(provisioning.tenants.map(demoTenant));
  return tenants.filter((tenant) => tenant !== undefined);
}

async function demoTenant(tenant: ProvisionedTenant): Promise<DevTenant | undefined> {
  const live = (keyId: string) => tenant.apiKeys.find((key) => key.id === keyId && !key.revoked);
  const publishable = await devApiKey(tenant.slug, 'publishable');
  const secret = await devApiKey(tenant.slug, 'secret');
  const publishableKey = live(publishable.keyId);
  const secretKey = live(secret.keyId);
  if (!publishableKey || !secretKey) return undefined;
  return {
    slug: tenant.slug,
    id: tenant.id,
    publishableKey: publishable.key,
    secretKey: secret.key,
    allowedOrigins: tenant.allowedOrigins,
    projects: tenant.projects.map(({ id, name }) => ({ id, name })),
    keyProjects: { publishable: publishableKey.projects, secret: secretKey.projects },
  };
}

/** What `npm run dev` prints for each demo tenant: its id, keys and projects. */
export function describeDevTenants(tenants: DevTenant[]): string[] {
  if (tenants.length === 0) return ['  no demo tenants yet (configs/tenants/provisioning.json not present)'];
  return tenants.flatMap((tenant) => {
    const reach = (projects: 'all' | string[], id: string) => projects === 'all' || projects.includes(id);
    const projects = tenant.projects.map((project) => {
      const keys = [
        reach(tenant.keyProjects.publishable, project.id) ? 'publishable' : undefined,
        reach(tenant.keyProjects.secret, project.id) ? 'secret' : undefined,
      ].filter((key) => key !== undefined);
      const limited = keys.length === 2 ? '' : ` (${keys.length ? `${keys.join(', ')} key only` : 'neither key'})`;
      return `      ${project.id}  ${project.name}${limited}`;
    });
    return [
      `  tenant ${tenant.slug} (${tenant.id})`,
      `    publishable: ${tenant.publishableKey}`,
      `    secret:      ${tenant.secretKey}`,
      ...(projects.length ? ['    projects (the projectId of requests):', ...projects] : ['    projects: none']),
    ];
  });
}
