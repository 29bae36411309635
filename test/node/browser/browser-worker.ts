// The Worker the browser tests run: the real app and bindings (wrangler.toml), with the committed
// registry except one flag: acme streams (its `streaming` flag is off in configs/tenants, and the
// tests need one tenant that both streams and cites). Every class the Worker exports is re-exported.
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { createApp } from '../../../src/app.ts';
import { createTenantRegistry } from '../../../src/tenancy/registry.ts';

export * from '../../../src/index.ts';

const registry = createTenantRegistry({
  tenants: provisioning.tenants.map((tenant) =>
    tenant.slug === 'acme' ? { ...tenant, features: { ...tenant.features, streaming: true } } : tenant,
  ),
});

export default { fetch: createApp({ registry }).fetch } satisfies ExportedHandler<Env>;
