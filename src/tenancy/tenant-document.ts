// A tenant row as the bulkhead_auth resolver functions return it (drizzle/0007_tenant_registry.sql,
// bulkhead_auth.tenant_document): JSON built from the tenants table. Parsed with the same schemas as
// the provisioning file, so a row the file could not have produced is refused, not half-trusted: a
// tenant whose settings do not parse is unavailable (fail closed), and the problem is logged.
import { z } from 'zod';
import { UUID_PATTERN } from '../domain/uuid.ts';
import { type Tenant, tenantSettings } from './registry.ts';
import {
  AllowedOriginsSchema,
  JwtSettingsSchema,
  LimitsSchema,
  SlugSchema,
  TenantNameSchema,
} from './registry-schema.ts';

const TenantDocumentSchema = z.object({
  id: z.string().regex(UUID_PATTERN),
  slug: SlugSchema,
  name: TenantNameSchema,
  status: z.enum(['active', 'suspended', 'deleting', 'erased']),
  allowedOrigins: AllowedOriginsSchema,
  // Flags the code does not know are dropped (off), so an older Worker reading a newer row is safe.
  features: z.record(z.string(), z.boolean()),
  limits: LimitsSchema,
  jwt: JwtSettingsSchema.nullable(),
  locked: z.boolean(),
});

export class TenantDocumentError extends Error {
  override name = 'TenantDocumentError';
}

/** The Tenant a resolver row describes; throws TenantDocumentError naming the bad fields. */
export function tenantFromDocument(document: unknown): Tenant {
  const parsed = TenantDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new TenantDocumentError(`tenant row does not parse: ${[...new Set(fields)].join(', ')}`);
  }
  const row = parsed.data;
  return {
    ...tenantSettings({ ...row, jwt: row.jwt ?? undefined }),
    status: row.status,
    locked: row.locked,
  };
}
