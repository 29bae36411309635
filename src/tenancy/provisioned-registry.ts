// The registry the Worker serves: configs/tenants/provisioning.json, bundled at build time.
import provisioning from '../../configs/tenants/provisioning.json' with { type: 'json' };
import { createTenantRegistry, type TenantRegistry } from './registry.ts';

let registry: TenantRegistry | undefined;

/** Parsed on first use and kept for the isolate's life; throws RegistryError if the file is bad. */
export function provisionedRegistry(): TenantRegistry {
  registry ??= createTenantRegistry(provisioning);
  return registry;
}
