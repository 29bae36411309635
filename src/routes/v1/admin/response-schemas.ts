// Response bodies of the tenant admin API, as the OpenAPI document states them and the API tests
// check every answer against. Strict objects: an undeclared field (a hash, a tenant id) fails those
// tests instead of leaking. Example values are made up (the key below is not a real key).
import { z } from 'zod';

const Id = z.guid();
const Timestamp = z.iso.datetime({ offset: true });
const Scope = z.enum(['chat', 'retrieval', 'documents:read', 'documents:write', 'admin']);
const Projects = z.union([z.literal('all'), z.array(Id)]);
const Role = z.enum(['owner', 'admin', 'editor', 'viewer']);
const NextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last');

const PROJECT = '5d1f0e2c-7a3b-4c9d-8e6f-1a2b3c4d5e6f';
const KEY_ROW = '7b2c4d6e-8f0a-4b1c-9d3e-5f7a9b1c3d5e';
const AT = '2026-11-02T09:30:00.000Z';

export const AdminProject = z
  .strictObject({ id: Id, name: z.string(), createdAt: Timestamp })
  .meta({ id: 'AdminProject', examples: [{ id: PROJECT, name: 'Help centre', createdAt: AT }] });

export const DeletedProject = z
  .strictObject({ documentsDeleted: z.int().min(0) })
  .meta({ id: 'DeletedProject', examples: [{ documentsDeleted: 3 }] });

const Member = z.strictObject({ projectId: Id, userId: z.string(), role: Role, createdAt: Timestamp });

export const MemberAnswer = z
  .strictObject({ member: Member, created: z.boolean().describe('True when this call added the user') })
  .meta({
    id: 'Member',
    examples: [{ member: { projectId: PROJECT, userId: 'user-42', role: 'editor', createdAt: AT }, created: true }],
  });

export const MemberList = z.strictObject({ members: z.array(Member) }).meta({ id: 'MemberList' });

const IssuedApiKey = z.strictObject({
  id: Id,
  keyId: z.string(),
  key: z.string().describe('The whole key: shown once, never again'),
  kind: z.enum(['publishable', 'secret']),
  scopes: z.array(Scope),
  projects: Projects,
  label: z.string().nullable(),
  expiresAt: Timestamp.nullable(),
});

const exampleIssued = {
  id: KEY_ROW,
  keyId: '7m2q9c4vx8kd',
  key: 'sk_7m2q9c4vx8kd_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAM_000000',
  kind: 'secret',
  scopes: ['documents:read', 'documents:write'],
  projects: 'all',
  label: 'CI ingest',
  expiresAt: null,
};

export const CreatedApiKey = z
  .strictObject({ apiKey: IssuedApiKey })
  .meta({ id: 'CreatedApiKey', examples: [{ apiKey: exampleIssued }] });

export const RerolledApiKey = z
  .strictObject({
    apiKey: IssuedApiKey,
    previous: z.strictObject({ id: Id, keyId: z.string(), expiresAt: Timestamp }),
  })
  .meta({
    id: 'RerolledApiKey',
    examples: [{ apiKey: exampleIssued, previous: { id: KEY_ROW, keyId: '3f8k2m9q4c7x', expiresAt: AT } }],
  });

export const ApiKeyList = z
  .strictObject({
    apiKeys: z.array(
      z.strictObject({
        id: Id,
        keyId: z.string(),
        kind: z.enum(['publishable', 'secret']),
        scopes: z.array(z.string()),
        projects: Projects,
        label: z.string().nullable(),
        state: z.enum(['active', 'expired', 'revoked']),
        createdAt: Timestamp,
        expiresAt: Timestamp.nullable(),
        revokedAt: Timestamp.nullable(),
        lastUsedAt: Timestamp.nullable().describe('To within a minute'),
      }),
    ),
  })
  .meta({ id: 'ApiKeyList' });

export const AuditEventPage = z
  .strictObject({
    events: z.array(
      z.strictObject({
        id: Id,
        projectId: Id.nullable(),
        actor: z.strictObject({ kind: z.string(), id: z.string() }),
        action: z.string(),
        outcome: z.string().nullable(),
        target: z.strictObject({ type: z.string().nullable(), id: z.string().nullable() }),
        detail: z.record(z.string(), z.unknown()),
        createdAt: Timestamp,
      }),
    ),
    nextCursor: NextCursor,
  })
  .meta({ id: 'AuditEventPage' });

export const ConversationPage = z
  .strictObject({
    conversations: z.array(
      z.strictObject({
        id: Id,
        projectId: Id,
        endUserId: z.string().nullable(),
        title: z.string().nullable(),
        messages: z.int().min(0),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    nextCursor: NextCursor,
  })
  .meta({ id: 'ConversationPage' });

const Counts = z.record(z.string(), z.int().min(0));

export const TenantUsage = z
  .strictObject({
    from: z.iso.date(),
    to: z.iso.date(),
    totals: z.strictObject({
      projects: z.int(),
      documents: z.int(),
      readyDocuments: z.int(),
      storedBytes: z.int(),
      chunks: z.int(),
      vectors: z.int().describe("Chunks of ready documents: each has one vector in the tenant's namespace"),
      conversations: z.int(),
      messages: z.int(),
      liveApiKeys: z.int(),
    }),
    days: z.array(
      z.strictObject({
        date: z.iso.date(),
        actions: Counts.describe('Audited actions by outcome (allowed, not_found, denied)'),
        denials: Counts.describe('Refusals by reason'),
      }),
    ),
    requests: z
      .strictObject({ source: z.literal('analytics_engine'), dataset: z.string() })
      .describe('Request volume per day is in Workers Analytics Engine (docs/admin-api.md)'),
  })
  .meta({ id: 'TenantUsage' });
