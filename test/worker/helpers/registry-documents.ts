// Provisioning documents on which configs/tenants/schema.json (Ajv) and registry-schema.ts (zod)
// must agree. Each invalid one names the field its error message has to mention.

type Json = Record<string, unknown>;
type Tenant = Json & { apiKeys: Json[]; jwt: Json; limits: Json };

const tenant = (): Json => ({
  id: '11111111-2222-4333-8444-555555555555',
  slug: 'example',
  name: 'Example',
  status: 'active',
  allowedOrigins: ['https://www.example.com', 'http://localhost:3000'],
  features: { chat: true },
  limits: { requestsPerMinute: 60, burst: 10, maxDocuments: 100, maxUploadBytes: 1_000_000, maxTopK: 10 },
  projects: [{ id: '11111111-2222-4333-8444-666666666666', name: 'Docs' }],
  apiKeys: [
    {
      id: 'abcdefghjkmn',
      kind: 'publishable',
      hash: 'sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      scopes: ['chat', 'retrieval'],
      projects: ['11111111-2222-4333-8444-666666666666'],
      revoked: false,
    },
    {
      id: 'pqrstvwxyz01',
      kind: 'secret',
      hash: 'sha256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
      scopes: ['admin'],
      projects: 'all',
      revoked: true,
      label: 'old',
    },
  ],
  jwt: {
    issuer: 'https://id.example.com/',
    audience: 'api',
    algorithms: ['ES256'],
    jwksUrl: 'https://id.example.com/jwks',
  },
});

const documentWith = (change: (t: Tenant) => void, root?: Json): Json => {
  const t = tenant() as Tenant;
  change(t);
  return { tenants: [t], ...root };
};

export const validDocuments: Record<string, Json> = {
  'a complete tenant': documentWith(() => {}),
  'no jwt, no keys, no features, no projects': documentWith((t) => {
    delete (t as Json).jwt;
    t.apiKeys = [];
    t.features = {};
    t.projects = [];
    t.allowedOrigins = [];
  }),
  'an inline public key': documentWith((t) => {
    t.jwt = {
      issuer: 'https://id.example.com/',
      audience: 'api',
      algorithms: ['EdDSA'],
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc' },
    };
  }),
  'a $schema pointer': documentWith(() => {}, { $schema: './schema.json' }),
  'suspended and deleting': {
    tenants: [
      { ...tenant(), status: 'suspended' },
      { ...tenant(), status: 'deleting' },
    ],
  },
};

export const invalidDocuments: Record<string, { field: string; document: Json }> = {
  'status outside the enum': { field: 'status', document: documentWith((t) => (t.status = 'paused')) },
  'a typo of a tenant field': { field: 'statuz', document: documentWith((t) => (t.statuz = 'active')) },
  'missing limits': { field: 'limits', document: documentWith((t) => delete (t as Json).limits) },
  'a typo inside limits': { field: 'maxTopk', document: documentWith((t) => (t.limits.maxTopk = 5)) },
  'maxTopK of 0': { field: 'maxTopK', document: documentWith((t) => (t.limits.maxTopK = 0)) },
  'fractional requests per minute': {
    field: 'requestsPerMinute',
    document: documentWith((t) => (t.limits.requestsPerMinute = 1.5)),
  },
  'an unknown feature flag': { field: 'betaChat', document: documentWith((t) => (t.features = { betaChat: true })) },
  'a feature flag that is not a boolean': {
    field: 'chat',
    document: documentWith((t) => (t.features = { chat: 'yes' })),
  },
  'an upper-case uuid': { field: 'id', document: documentWith((t) => (t.id = '11111111-2222-4333-8444-55555555555A')) },
  'a punycode slug': { field: 'slug', document: documentWith((t) => (t.slug = 'xn--exmple-cua')) },
  'a slug with capitals': { field: 'slug', document: documentWith((t) => (t.slug = 'Example')) },
  'a wildcard origin': {
    field: 'allowedOrigins',
    document: documentWith((t) => (t.allowedOrigins = ['https://*.example.com'])),
  },
  'a plain-http public origin': {
    field: 'allowedOrigins',
    document: documentWith((t) => (t.allowedOrigins = ['http://example.com'])),
  },
  'an origin with a path': {
    field: 'allowedOrigins',
    document: documentWith((t) => (t.allowedOrigins = ['https://example.com/'])),
  },
  'a repeated origin': {
    field: 'allowedOrigins',
    document: documentWith((t) => (t.allowedOrigins = ['https://a.com', 'https://a.com'])),
  },
  'a widget key with admin scope': {
    field: 'scopes',
    document: documentWith((t) => ((t.apiKeys[0] as Json).scopes = ['chat', 'admin'])),
  },
  'a key without scopes': { field: 'scopes', document: documentWith((t) => ((t.apiKeys[1] as Json).scopes = [])) },
  'a plaintext key as hash': {
    field: 'hash',
    document: documentWith((t) => ((t.apiKeys[1] as Json).hash = 'sk_abcdefghjkmn_x_y')),
  },
  'a plaintext key field': { field: 'key', document: documentWith((t) => ((t.apiKeys[1] as Json).key = 'sk_abc')) },
  'a key without revoked': { field: 'revoked', document: documentWith((t) => delete (t.apiKeys[1] as Json).revoked) },
  'an unknown key kind': { field: 'kind', document: documentWith((t) => ((t.apiKeys[1] as Json).kind = 'master')) },
  'key projects neither all nor a list': {
    field: 'projects',
    document: documentWith((t) => ((t.apiKeys[1] as Json).projects = 'some')),
  },
  'both jwksUrl and publicJwk': { field: 'jwt', document: documentWith((t) => (t.jwt.publicJwk = { kty: 'EC' })) },
  'neither jwksUrl nor publicJwk': { field: 'jwt', document: documentWith((t) => delete t.jwt.jwksUrl) },
  'a private member in publicJwk': {
    field: 'd',
    document: documentWith((t) => {
      delete t.jwt.jwksUrl;
      t.jwt.publicJwk = { kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'private' };
    }),
  },
  'an HMAC algorithm': { field: 'algorithms', document: documentWith((t) => (t.jwt.algorithms = ['HS256'])) },
  'no algorithms': { field: 'algorithms', document: documentWith((t) => (t.jwt.algorithms = [])) },
  'a plain-http issuer': { field: 'issuer', document: documentWith((t) => (t.jwt.issuer = 'http://id.example.com/')) },
  'an empty name': { field: 'name', document: documentWith((t) => (t.name = '')) },
  'a project without a name': { field: 'name', document: documentWith((t) => (t.projects = [{ id: t.id }])) },
  'no tenants': { field: 'tenants', document: { tenants: [] } },
  'a typo at the root': { field: 'tenant', document: { tenant: [tenant()] } },
};
