// Request and response bodies of the operator API. Settings use the provisioning file's own
// schemas (src/tenancy/registry-schema.ts), so a tenant made here is one the file could describe.
import { z } from 'zod';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import {
  AllowedOriginsSchema,
  FeaturesSchema,
  JwtSettingsSchema,
  LimitsSchema,
  SlugSchema,
  TenantNameSchema,
} from '../../tenancy/registry-schema.ts';

export const TenantIdParam = z.object({ id: z.string().regex(UUID_PATTERN, 'must be a lower-case uuid') });

export const CreateTenantBody = z.strictObject({
  slug: SlugSchema,
  name: TenantNameSchema,
  allowedOrigins: AllowedOriginsSchema.default([]),
  features: FeaturesSchema.default({ chat: true, uploads: true, citations: true }),
  limits: LimitsSchema,
  jwt: JwtSettingsSchema.optional(),
  projectName: z.string().min(1).max(100).default('Default project'),
});

export const UpdateTenantBody = z
  .strictObject({
    name: TenantNameSchema.optional(),
    allowedOrigins: AllowedOriginsSchema.optional(),
    features: FeaturesSchema.optional(),
    limits: LimitsSchema.optional(),
    jwt: JwtSettingsSchema.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');

export const ListTenantsQuery = z.strictObject({
  after: z.string().regex(UUID_PATTERN, 'must be a tenant id').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const MaintenanceBody = z.strictObject({
  maintenance: z.boolean(),
  message: z.string().min(1).max(500).optional(),
});

export const TenantViewSchema = z
  .strictObject({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(['active', 'suspended', 'deleting', 'erased']),
    locked: z.boolean(),
    allowedOrigins: z.array(z.string()),
    features: z.record(z.string(), z.boolean()),
    limits: z.record(z.string(), z.number()),
    jwt: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'OperatorTenant' });

export const TenantResponse = z.strictObject({ tenant: TenantViewSchema });

export const CreatedTenantResponse = z
  .strictObject({
    tenant: TenantViewSchema,
    project: z.strictObject({ id: z.string(), name: z.string() }),
    apiKey: z.strictObject({
      id: z.string(),
      keyId: z.string(),
      key: z.string().describe('The whole secret key: shown in this answer only, never again.'),
      kind: z.enum(['publishable', 'secret']),
      scopes: z.array(z.string()),
      projects: z.union([z.literal('all'), z.array(z.string())]),
      label: z.string().nullable(),
      expiresAt: z.string().nullable(),
    }),
  })
  .meta({ id: 'OperatorCreatedTenant' });

export const TenantListResponse = z.strictObject({
  tenants: z.array(
    z.strictObject({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      status: z.enum(['active', 'suspended', 'deleting', 'erased']),
      locked: z.boolean(),
    }),
  ),
  nextAfter: z.string().nullable(),
});

export const MaintenanceResponse = z.strictObject({
  maintenance: z.boolean(),
  message: z.string().nullable(),
  updatedAt: z.string(),
  /** The deploy-time MAINTENANCE var, which the API cannot change. */
  deployTimeSwitch: z.boolean(),
});
