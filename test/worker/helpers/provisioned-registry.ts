// configs/tenants/provisioning.json as an in-memory registry: the demo tenants (seeded into Postgres
// by the global setup) for tests that need their keys or settings without asking the database.
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { createTenantRegistry, type TenantRegistry } from '../../../src/tenancy/registry.ts';

let registry: TenantRegistry | undefined;

export function provisionedRegistry(): TenantRegistry {
  registry ??= createTenantRegistry(provisioning);
  return registry;
}
