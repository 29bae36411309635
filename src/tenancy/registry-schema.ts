// The runtime parser of configs/tenants/provisioning.json. It must accept and reject exactly what
// configs/tenants/schema.json does (src/tenancy/registry-schema.test.ts holds both to the same
// fixtures); cross-tenant invariants JSON Schema cannot express live in registry.ts.

import { z } from 'zod';
import { UUID_PATTERN } from '../domain/uuid.ts';
import { DEFAULT_MIN_RETRIEVAL_SCORE } from './context.ts';

export const FEATURE_FLAGS = ['chat', 'uploads', 'citations', 'streaming'] as const;
export const SCOPES = ['chat', 'retrieval', 'documents:read', 'documents:write', 'admin'] as const;
export const PUBLISHABLE_SCOPES = ['chat', 'retrieval'] as const;
export const JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;

// One DNS label; `xn--` is refused so a punycode look-alike of a real slug can never be provisioned.
const SLUG = /^(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const ORIGIN = new RegExp(
  `^(?:https://${LABEL}(?:\\.${LABEL})*|http://(?:localhost|127\\.0\\.0\\.1))(?::[0-9]{1,5})?$`,
);
const HTTPS_URL = /^https:\/\/[^\s]+$/;
const KEY_ID = /^[0-9a-hjkmnp-tv-z]{12}$/;
const KEY_HASH = /^sha256:[A-Za-z0-9_-]{43}$/;

function uniqueArray<T extends z.ZodType>(item: T) {
  return z.array(item).refine((items) => new Set(items).size === items.length, 'must not repeat an item');
}

const integer = (min: number, max: number) => z.int().min(min).max(max);
const uuid = z.string().regex(UUID_PATTERN, 'must be a lower-case uuid');
const projectsGranted = z.union([z.literal('all'), uniqueArray(uuid)]);

const apiKeyCommon = {
  id: z.string().regex(KEY_ID, 'must be a 12-character key id'),
  hash: z.string().regex(KEY_HASH, 'must be sha256: followed by a base64url digest'),
  projects: projectsGranted,
  revoked: z.boolean(),
  label: z.string().min(1).max(100).optional(),
};

const ApiKeySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...apiKeyCommon,
    kind: z.literal('publishable'),
    scopes: uniqueArray(z.enum(PUBLISHABLE_SCOPES)).min(1),
  }),
  z.strictObject({ ...apiKeyCommon, kind: z.literal('secret'), scopes: uniqueArray(z.enum(SCOPES)).min(1) }),
]);

const PublicJwkSchema = z.strictObject({
  kty: z.enum(['EC', 'RSA', 'OKP']),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.literal('sig').optional(),
});

const JwtSettingsSchema = z
  .strictObject({
    issuer: z.string().regex(HTTPS_URL, 'must be an https URL'),
    audience: z.string().min(1),
    algorithms: uniqueArray(z.enum(JWT_ALGORITHMS)).min(1),
    jwksUrl: z.string().regex(HTTPS_URL, 'must be an https URL').optional(),
    publicJwk: PublicJwkSchema.optional(),
  })
  .refine((jwt) => (jwt.jwksUrl === undefined) !== (jwt.publicJwk === undefined), {
    message: 'set exactly one of jwksUrl or publicJwk',
    path: ['jwksUrl'],
  });

// The settings of a tenant, as the provisioning file, the operator API and the tenants table hold them.
export const SlugSchema = z.string().regex(SLUG, 'must be one lower-case DNS label, not starting with xn--');
export const TenantNameSchema = z.string().min(1).max(100);
export const AllowedOriginsSchema = uniqueArray(
  z.string().regex(ORIGIN, 'must be an exact origin: https://host[:port]'),
).max(100);
export const FeaturesSchema = z.strictObject(
  Object.fromEntries(FEATURE_FLAGS.map((flag) => [flag, z.boolean().optional()])),
);
export const LimitsSchema = z.strictObject({
  requestsPerMinute: integer(1, 1_000_000),
  burst: integer(1, 100_000),
  maxDocuments: integer(0, 10_000_000),
  maxUploadBytes: integer(1, 5_000_000_000),
  maxTopK: integer(1, 100),
  minRetrievalScore: z.number().min(-1).max(1).default(DEFAULT_MIN_RETRIEVAL_SCORE),
});
export { JwtSettingsSchema };
export const TENANT_STATUSES = ['active', 'suspended', 'deleting'] as const;
export const MEMBER_ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;

/** A user's role in a project (user_project_roles): what authorises that user's JWT. */
const MemberSchema = z.strictObject({
  userId: z.string().min(1).max(255),
  projectId: uuid,
  role: z.enum(MEMBER_ROLES),
});

const TenantSchema = z.strictObject({
  id: uuid,
  slug: SlugSchema,
  name: TenantNameSchema,
  status: z.enum(TENANT_STATUSES),
  allowedOrigins: AllowedOriginsSchema,
  features: FeaturesSchema,
  limits: LimitsSchema,
  projects: z.array(z.strictObject({ id: uuid, name: z.string().min(1).max(100) })),
  apiKeys: z.array(ApiKeySchema),
  jwt: JwtSettingsSchema.optional(),
  members: z.array(MemberSchema).optional(),
});

export const ProvisioningSchema = z.strictObject({
  $schema: z.string().optional(),
  tenants: z.array(TenantSchema).min(1),
});

export type Provisioning = z.infer<typeof ProvisioningSchema>;
export type ProvisionedTenant = Provisioning['tenants'][number];
export type ProvisionedApiKey = ProvisionedTenant['apiKeys'][number];
export type JwtSettings = NonNullable<ProvisionedTenant['jwt']>;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];
